/**
 * Parsing rules of the data contract: CSV and JSON-lines readers with physical line numbers, FHIR
 * Appointment mapping, timestamp forms, code normalization and row validation.
 */
package io.leadloop.common.parse;
