/**
 * The links that are the customer's and staff's capabilities: minting them, signing and
 * verifying them with the keys of the link secret in Secrets Manager, and their random ids.
 */
package de.shopmigration.core.links;
