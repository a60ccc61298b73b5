mod pool;
mod registry;
