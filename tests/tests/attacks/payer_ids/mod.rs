mod models_terms;
