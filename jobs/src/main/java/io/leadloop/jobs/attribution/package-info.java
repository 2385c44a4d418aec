/** Touch attribution of lead bookings under the five rule-based models of metrics.md. */
package io.leadloop.jobs.attribution;
