//! Ratings: the client of an ended task rates its agent and its evaluator once each, if the
//! task paid them. A rating weighs what the task paid the rated party, so ratings cost what the
//! work cost: a sybil client's many tiny tasks weigh no more than one task of their total,
//! and each pays its protocol fee.

use cosmwasm_std::{DepsMut, Env, MessageInfo, Response, Uint128};
use openledger_common::msg::agent_escrow::{FeedbackSubject, Ratings, TaskId, MAX_RATING};
use openledger_common::Checked;

use super::capabilities::check_tag;
use super::{now, task_of, Party};
use crate::error::ContractError;
use crate::state::{subject_key, Agent, Evaluator, Feedback, AGENTS, EVALUATORS, FEEDBACK};

/// Adds one rating of `weight` to `ratings`.
fn add_rating(ratings: &mut Ratings, rating: u8, weight: Uint128) -> Result<(), ContractError> {
    ratings.count.increment()?;
    ratings.sum = ratings.sum.add_checked(u64::from(rating))?;
    let weighted = weight.checked_mul(Uint128::from(rating))?;
    ratings.weighted_sum = ratings.weighted_sum.checked_add(weighted)?;
    ratings.weight = ratings.weight.checked_add(weight)?;
    Ok(())
}

/// The client of ended task `task_id` rates its agent or its evaluator.
pub fn give_feedback(
    deps: DepsMut,
    env: Env,
    info: MessageInfo,
    task_id: TaskId,
    (subject, rating, tag): (FeedbackSubject, u8, String),
) -> Result<Response, ContractError> {
    let task = task_of(deps.storage, task_id, &info.sender, Party::Client)?;
    if !task.is_final() {
        return Err(ContractError::TaskNotEnded {
            task_id,
            status: task.status,
        });
    }
    if rating > MAX_RATING {
        return Err(ContractError::InvalidRating {
            rating,
            max: MAX_RATING,
        });
    }
    check_tag(&tag)?;
    let key = (task_id, subject_key(subject));
    if FEEDBACK.has(deps.storage, key) {
        return Err(ContractError::AlreadyRated {
            task_id,
            subject: subject.as_str().to_string(),
        });
    }
    let (address, weight) = match (subject, &task.ext.evaluation) {
        (FeedbackSubject::Agent, _) => (task.agent.clone(), task.paid_to_agent),
        (FeedbackSubject::Evaluator, Some(e)) => (e.evaluator.clone(), e.terms.paid),
        (FeedbackSubject::Evaluator, None) => return Err(ContractError::NoEvaluator { task_id }),
    };
    if weight.is_zero() {
        return Err(ContractError::NothingToRate {
            task_id,
            subject: subject.as_str().to_string(),
        });
    }
    match subject {
        FeedbackSubject::Agent => {
            let mut agent = Agent::load(deps.storage, &address)?;
            add_rating(&mut agent.stats.ratings, rating, weight)?;
            AGENTS.save(deps.storage, &address, &agent)?;
        }
        FeedbackSubject::Evaluator => {
            let mut evaluator = Evaluator::load(deps.storage, &address)?;
            add_rating(&mut evaluator.stats.ratings, rating, weight)?;
            EVALUATORS.save(deps.storage, &address, &evaluator)?;
        }
    }
    let feedback = Feedback {
        address: address.clone(),
        rating,
        tag: tag.clone(),
        weight,
        at: now(&env),
    };
    FEEDBACK.save(deps.storage, key, &feedback)?;
    Ok(Response::new()
        .add_attribute("action", "give_feedback")
        .add_attribute("task_id", task_id.to_string())
        .add_attribute("subject", subject.as_str())
        .add_attribute("address", address)
        .add_attribute("rating", rating.to_string())
        .add_attribute("tag", tag)
        .add_attribute("weight", weight))
}
