/**
 * What the steps of a run share and how a run is measured: the run's context, the step timer (one
 * log line and one run.json entry per step) and Spark's task metrics per step.
 */
package io.leadloop.jobs.run;
