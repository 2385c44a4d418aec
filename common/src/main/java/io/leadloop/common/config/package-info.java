/** The YAML configuration: loading, defaults, validation, and the immutable config record. */
package io.leadloop.common.config;
