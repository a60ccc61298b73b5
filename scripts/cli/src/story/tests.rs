//! The whole story on cw-multi-test: the same code the chain runs, in seconds.

use super::backend::mock::MockBackend;
use super::paths;

#[test]
fn the_story_and_every_path_hold_on_the_mock_backend() {
    let backend = MockBackend::deploy().unwrap();
    let model = super::tell(&backend).unwrap();
    paths::walk(&backend, model).unwrap();
    // A second telling on the same suite starts from what the first and the paths left (an
    // agent and an attestor slashed, a stake withdrawn, earnings and bonds to collect), as on
    // a long-lived chain.
    let model = super::tell(&backend).unwrap();
    paths::walk(&backend, model).unwrap();
}
