/**
 * Shared pieces of leadloop: configuration, parsing rules, schemas, Spark/Delta helpers, metrics.
 */
package io.leadloop.common;
