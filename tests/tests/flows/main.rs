//! Cross-contract flows of the suite, one module per flow, with the exact balance of every
//! party after every step; the storage cost of claims; and the checks of the published schema.

mod claim_scaling;
mod datanet_rewards;
mod escrow_flows;
mod influence_challenges;
mod influence_claim_cost;
mod influence_claims;
mod model_payments;
mod schema_descriptions;
mod workflow_delegation;
mod workflow_discovery;
mod workflow_escalation;
mod workflow_evaluation;
mod workflow_refunds;
mod workflow_reputation;
mod workflow_tree;
