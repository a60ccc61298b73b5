mod escrow_economics;
mod escrow_tasks;
