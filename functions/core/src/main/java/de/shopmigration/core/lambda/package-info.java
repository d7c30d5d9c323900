/**
 * Lambda plumbing every function shares: the environment, the SDK clients built once, the
 * collaborators a handler hands its logic, JSON in and out of a handler, SnapStart priming, and
 * the task and metric lines written to standard output.
 */
package de.shopmigration.core.lambda;
