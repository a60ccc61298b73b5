mod datanet;
mod escrow_tasks;
