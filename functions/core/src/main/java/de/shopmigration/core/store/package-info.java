/**
 * The one DynamoDB table, spoken in the domain's words: one store per kind of item (record,
 * waits, links, documents, email ledger, audit trail, go-live cells, domain holds, error reports,
 * refused requests), {@link de.shopmigration.core.store.Items} owning every key shape and
 * {@link de.shopmigration.core.store.Table} the request plumbing they share. Only this package
 * builds DynamoDB expressions.
 */
package de.shopmigration.core.store;
