mod proofs;
mod roots;
