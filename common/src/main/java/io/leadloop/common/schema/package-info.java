/** The data contract's entities, fields and vocabularies, and their Spark schemas. */
package io.leadloop.common.schema;
