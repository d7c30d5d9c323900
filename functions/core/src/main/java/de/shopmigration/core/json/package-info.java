/**
 * JSON without reflection: avaje-jsonb's generated adapters for the domain's records (generated
 * beside them) and the two adapters of our own, plus free-form trees for what has no record.
 */
package de.shopmigration.core.json;
