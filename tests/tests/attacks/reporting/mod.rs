mod registry_commitments;
mod roots;
