/** Spark session factory and Delta table access for a warehouse location. */
package io.leadloop.common.spark;
