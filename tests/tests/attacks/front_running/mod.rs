mod registry_commitments;
