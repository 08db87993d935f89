//! The Vapi client against the simulator over real HTTP on 127.0.0.1.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use agencydesk_core::sensitive::SecretKey;
use agencydesk_core::vapi::{
    CallFilter, ClientOptions, CreateOrgDto, CreateTokenDto, TokenRestrictions, TokenTag,
    UpdateOrgDto, UpdateTokenDto, VapiClient, VapiError,
};
use vapi_sim::{Faults, Sim, SimConfig};

async fn start_sim() -> Sim {
    let config = SimConfig {
        orgs: 2,
        days: 5,
        calls_per_day: 8,
        ..SimConfig::default()
    };
    Sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

/// Retries fast and often enough that injected faults cannot exhaust them.
fn patient() -> ClientOptions {
    ClientOptions {
        max_retries: 25,
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(10),
        ..ClientOptions::default()
    }
}

fn client(sim: &Sim, key: &str, options: ClientOptions) -> VapiClient {
    VapiClient::with_options(&sim.url(), SecretKey::new(key.to_owned()), options).unwrap()
}

fn ids<T>(items: &[T], id: impl Fn(&T) -> &str) -> Vec<String> {
    items.iter().map(|i| id(i).to_owned()).collect()
}

#[tokio::test]
async fn reads_orgs_tokens_assistants_and_calls() {
    let sim = start_sim().await;
    let manifest = sim.manifest();
    let org = &manifest.orgs[0];
    let api = client(&sim, &org.private_key, ClientOptions::default());

    // The simulator answers GET /org with the account's array; the org is in it.
    let orgs = api.list_orgs().await.unwrap();
    assert!(orgs.iter().any(|o| o.id == org.id));
    let one = api.get_org(&org.id).await.unwrap();
    assert_eq!(one.name.as_deref(), Some(org.name.as_str()));

    let tokens = api.list_tokens().await.unwrap();
    let public: BTreeSet<&str> = tokens.iter().filter_map(|t| t.public_value()).collect();
    let expected: BTreeSet<&str> = org.public_keys.iter().map(|k| k.value.as_str()).collect();
    assert_eq!(public, expected);
    let own = tokens
        .iter()
        .find(|t| t.tag == Some(TokenTag::Private))
        .unwrap();
    assert!(!format!("{tokens:?}").contains(&org.private_key));
    assert_eq!(own.org_id, org.id);

    let assistants = api.list_assistants().await.unwrap();
    let got: BTreeSet<String> = assistants.iter().map(|a| a.id.clone()).collect();
    let want: BTreeSet<String> = org.assistants.iter().map(|a| a.id.clone()).collect();
    assert_eq!(got, want);
    assert!(assistants.iter().all(|a| a.raw["id"] == a.id.as_str()));

    let calls = api
        .list_calls(&CallFilter {
            limit: Some(1000),
            ..CallFilter::default()
        })
        .await
        .unwrap();
    let sim_calls = sim.handle().calls(&org.id);
    let sim_ids: Vec<String> = sim_calls
        .iter()
        .map(|c| c["id"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(ids(&calls, |c| &c.id), sim_ids);
    assert!(!calls.is_empty());

    let first = api.get_call(&calls[0].id).await.unwrap();
    assert_eq!(first.id, calls[0].id);
    assert_eq!(first.created_at, calls[0].created_at);
    sim.shutdown().await;
}

#[tokio::test]
async fn call_filters_reach_vapi() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();
    let api = client(&sim, &org.private_key, ClientOptions::default());
    let all = api
        .list_calls(&CallFilter {
            limit: Some(1000),
            ..CallFilter::default()
        })
        .await
        .unwrap();
    assert!(all.len() > 4, "need a few calls, got {}", all.len());

    let limited = api
        .list_calls(&CallFilter {
            limit: Some(3),
            ..CallFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(ids(&limited, |c| &c.id), ids(&all[..3], |c| &c.id));

    // Paging backwards with createdAtLt continues where the first page stopped.
    let pivot = all[2].created_at;
    let older = api
        .list_calls(&CallFilter {
            created_at_lt: Some(pivot),
            limit: Some(1000),
            ..CallFilter::default()
        })
        .await
        .unwrap();
    let want: Vec<String> = all
        .iter()
        .filter(|c| c.created_at < pivot)
        .map(|c| c.id.clone())
        .collect();
    assert_eq!(ids(&older, |c| &c.id), want);

    let assistant_id = all[0].assistant_id.clone().unwrap();
    let by_assistant = api
        .list_calls(&CallFilter {
            assistant_id: Some(assistant_id.clone()),
            limit: Some(1000),
            ..CallFilter::default()
        })
        .await
        .unwrap();
    assert!(!by_assistant.is_empty());
    assert!(by_assistant
        .iter()
        .all(|c| c.assistant_id.as_deref() == Some(assistant_id.as_str())));
    sim.shutdown().await;
}

#[tokio::test]
async fn paging_assistants_returns_each_exactly_once() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();
    let one_by_one = client(
        &sim,
        &org.private_key,
        ClientOptions {
            page_size: 1,
            ..ClientOptions::default()
        },
    );
    let paged = one_by_one.list_assistants().await.unwrap();
    let all = client(&sim, &org.private_key, ClientOptions::default())
        .list_assistants()
        .await
        .unwrap();
    assert!(all.len() >= 2, "the seeded org has several assistants");
    let mut paged_ids = ids(&paged, |a| &a.id);
    paged_ids.sort();
    let mut all_ids = ids(&all, |a| &a.id);
    all_ids.sort();
    assert_eq!(paged_ids, all_ids);
    sim.shutdown().await;
}

#[tokio::test]
async fn token_lifecycle() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();
    let api = client(&sim, &org.private_key, ClientOptions::default());
    let restrictions = TokenRestrictions {
        allowed_origins: Some(vec!["https://client-a.example".into()]),
        allowed_assistant_ids: Some(vec![org.assistants[0].id.clone()]),
        ..TokenRestrictions::default()
    };
    let created = api
        .create_token(&CreateTokenDto {
            tag: TokenTag::Public,
            name: Some("Website widget".into()),
            restrictions: Some(restrictions.clone()),
        })
        .await
        .unwrap();
    assert!(created.is_public());
    let value = created.public_value().unwrap().to_owned();
    assert!(!value.is_empty());

    let read = api.get_token(&created.id).await.unwrap();
    assert_eq!(read.name.as_deref(), Some("Website widget"));
    let stored = read.restrictions.unwrap();
    assert_eq!(stored.allowed_origins, restrictions.allowed_origins);
    assert_eq!(
        stored.allowed_assistant_ids,
        restrictions.allowed_assistant_ids
    );

    let renamed = api
        .update_token(
            &created.id,
            &UpdateTokenDto {
                name: Some("Widget v2".into()),
                ..UpdateTokenDto::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Widget v2"));

    // A public key cannot use private endpoints.
    let public = client(&sim, &value, ClientOptions::default());
    assert!(matches!(
        public.list_tokens().await,
        Err(VapiError::Unauthorized)
    ));

    api.delete_token(&created.id).await.unwrap();
    assert!(matches!(
        api.get_token(&created.id).await,
        Err(VapiError::NotFound { .. })
    ));
    assert!(matches!(
        api.delete_token(&created.id).await,
        Err(VapiError::NotFound { .. })
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn web_calls_work_with_a_public_key() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();
    let unrestricted = client(&sim, &org.private_key, ClientOptions::default())
        .create_token(&CreateTokenDto {
            tag: TokenTag::Public,
            name: Some("any origin".into()),
            restrictions: None,
        })
        .await
        .unwrap();
    let public = client(
        &sim,
        unrestricted.public_value().unwrap(),
        ClientOptions::default(),
    );
    let call = public.create_web_call(&org.assistants[0].id).await.unwrap();
    assert_eq!(call.org_id, org.id);
    assert_eq!(
        call.assistant_id.as_deref(),
        Some(org.assistants[0].id.as_str())
    );
    assert!(call.web_call_url.is_some());

    // A key restricted to one assistant is refused (403) for another one.
    let restricted = client(&sim, &org.private_key, ClientOptions::default())
        .create_token(&CreateTokenDto {
            tag: TokenTag::Public,
            name: Some("one assistant".into()),
            restrictions: Some(TokenRestrictions {
                allowed_assistant_ids: Some(vec![org.assistants[0].id.clone()]),
                ..TokenRestrictions::default()
            }),
        })
        .await
        .unwrap();
    let other_assistant = sim.manifest().orgs[1].assistants[0].id.clone();
    let err = client(
        &sim,
        restricted.public_value().unwrap(),
        ClientOptions::default(),
    )
    .create_web_call(&other_assistant)
    .await
    .unwrap_err();
    assert!(matches!(err, VapiError::Forbidden { .. }), "{err:?}");
    assert!(err.to_string().contains("restrictions"));
    sim.shutdown().await;
}

#[tokio::test]
async fn orgs_can_be_created_and_renamed() {
    let sim = start_sim().await;
    let agency = sim.manifest().agency;
    let api = client(&sim, &agency.private_key, ClientOptions::default());
    let created = api
        .create_org(&CreateOrgDto {
            name: Some("Bright Smiles".into()),
            ..CreateOrgDto::default()
        })
        .await
        .unwrap();
    assert_eq!(created.name.as_deref(), Some("Bright Smiles"));
    let renamed = api
        .update_org(
            &created.id,
            &UpdateOrgDto {
                name: Some("Bright Smiles Dental".into()),
                ..UpdateOrgDto::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.name.as_deref(), Some("Bright Smiles Dental"));
    assert!(renamed.updated_at > created.updated_at);
    sim.shutdown().await;
}

#[tokio::test]
async fn wrong_revoked_and_public_keys_are_unauthorized_without_leaking_the_key() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();

    let wrong = client(&sim, "not-a-real-key-123456", ClientOptions::default());
    let err = wrong.list_orgs().await.unwrap_err();
    assert!(matches!(err, VapiError::Unauthorized), "{err:?}");
    let text = format!("{err} {err:?}");
    assert!(!text.contains("not-a-real-key-123456"));
    assert!(text.contains("private key"));

    let public = client(&sim, &org.public_keys[0].value, ClientOptions::default());
    assert!(matches!(
        public.list_assistants().await,
        Err(VapiError::Unauthorized)
    ));

    let api = client(&sim, &org.private_key, ClientOptions::default());
    api.list_tokens().await.unwrap();
    assert!(sim.handle().revoke_private_key(&org.id, &org.private_key));
    assert!(matches!(
        api.list_tokens().await,
        Err(VapiError::Unauthorized)
    ));
    sim.shutdown().await;
}

#[tokio::test]
async fn vapi_validation_errors_and_missing_objects() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();
    let api = client(&sim, &org.private_key, ClientOptions::default());
    let too_long = "x".repeat(41);
    match api
        .create_token(&CreateTokenDto {
            tag: TokenTag::Public,
            name: Some(too_long),
            restrictions: None,
        })
        .await
    {
        Err(VapiError::BadRequest { messages }) => {
            assert!(messages.iter().any(|m| m.contains("name")), "{messages:?}");
        }
        other => panic!("expected BadRequest, got {other:?}"),
    }
    let missing = "00000000-0000-4000-8000-000000000000";
    let err = api.get_token(missing).await.unwrap_err();
    assert!(
        matches!(err, VapiError::NotFound { what: "API key" }),
        "{err:?}"
    );
    // Another org's calls are invisible to this key.
    let other = sim.manifest().orgs[1].clone();
    let other_assistant_calls = api
        .list_calls(&CallFilter {
            assistant_id: Some(other.assistants[0].id.clone()),
            ..CallFilter::default()
        })
        .await
        .unwrap();
    assert!(other_assistant_calls.is_empty());
    sim.shutdown().await;
}

#[tokio::test]
async fn faults_and_truncated_bodies_still_give_correct_results() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();
    let clean = client(&sim, &org.private_key, ClientOptions::default());
    let filter = CallFilter {
        limit: Some(1000),
        ..CallFilter::default()
    };
    let calls = ids(&clean.list_calls(&filter).await.unwrap(), |c| &c.id);
    let tokens = ids(&clean.list_tokens().await.unwrap(), |t| &t.id);
    let mut assistants = ids(&clean.list_assistants().await.unwrap(), |a| &a.id);
    assistants.sort();

    sim.handle().set_faults(Faults {
        fail_rate: 0.3,
        truncate_rate: 0.3,
        seed: 11,
        ..Faults::default()
    });
    let before = sim.handle().request_count();
    let faulty = client(&sim, &org.private_key, patient());
    for _ in 0..5 {
        assert_eq!(
            ids(&faulty.list_calls(&filter).await.unwrap(), |c| &c.id),
            calls
        );
        assert_eq!(ids(&faulty.list_tokens().await.unwrap(), |t| &t.id), tokens);
        let mut got = ids(&faulty.list_assistants().await.unwrap(), |a| &a.id);
        got.sort();
        assert_eq!(got, assistants);
    }
    let sent = sim.handle().request_count() - before;
    assert!(
        sent > 15,
        "faults should have forced retries, only {sent} requests"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn retries_stop_after_the_limit() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();
    sim.handle().set_faults(Faults {
        truncate_rate: 1.0,
        ..Faults::default()
    });
    let api = client(
        &sim,
        &org.private_key,
        ClientOptions {
            max_retries: 2,
            ..patient()
        },
    );
    let before = sim.handle().request_count();
    let err = api.list_tokens().await.unwrap_err();
    assert!(
        matches!(
            err,
            VapiError::InvalidResponse { .. } | VapiError::Unreachable { .. }
        ),
        "{err:?}"
    );
    assert_eq!(sim.handle().request_count() - before, 3);

    sim.handle().set_faults(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    });
    let err = api.get_org(&org.id).await.unwrap_err();
    assert!(matches!(err, VapiError::Server { .. }), "{err:?}");
    sim.shutdown().await;
}

#[tokio::test]
async fn creations_are_not_blindly_repeated() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();
    sim.handle().set_faults(Faults {
        fail_rate: 1.0,
        ..Faults::default()
    });
    let api = client(&sim, &org.private_key, patient());
    let err = api
        .create_token(&CreateTokenDto {
            tag: TokenTag::Public,
            name: None,
            restrictions: None,
        })
        .await
        .unwrap_err();
    // A 500/502 might have been processed: not repeated, reported as unconfirmed. Only a 503
    // (turned away unprocessed) is retried, up to the limit.
    match &err {
        VapiError::Unconfirmed(inner) => {
            assert!(matches!(**inner, VapiError::Server { status: 500 | 502 }));
            assert!(err.to_string().contains("refresh"));
        }
        VapiError::Server { status: 503 } => {}
        other => panic!("unexpected {other:?}"),
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn rate_limits_honour_retry_after() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();
    sim.handle().set_faults(Faults {
        rate_limit: Some(2),
        ..Faults::default()
    });
    let api = client(&sim, &org.private_key, patient());
    let started = Instant::now();
    for _ in 0..5 {
        api.get_org(&org.id).await.unwrap();
    }
    // Two requests per second with a burst of two: five requests need at least one wait.
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );

    let impatient = client(
        &sim,
        &org.private_key,
        ClientOptions {
            max_retries: 0,
            ..ClientOptions::default()
        },
    );
    let mut limited = None;
    for _ in 0..5 {
        if let Err(e) = impatient.get_org(&org.id).await {
            limited = Some(e);
            break;
        }
    }
    match limited {
        Some(VapiError::RateLimited {
            retry_after: Some(after),
        }) => assert!(after >= Duration::from_secs(1)),
        other => panic!("expected RateLimited with Retry-After, got {other:?}"),
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn timeouts_and_unreachable_hosts_are_network_errors() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();
    sim.handle().set_faults(Faults {
        slow_rate: 1.0,
        slow_ms: 2_000,
        ..Faults::default()
    });
    let api = client(
        &sim,
        &org.private_key,
        ClientOptions {
            request_timeout: Duration::from_millis(200),
            max_retries: 1,
            ..patient()
        },
    );
    let err = api.list_tokens().await.unwrap_err();
    assert!(matches!(err, VapiError::Timeout { .. }), "{err:?}");
    sim.shutdown().await;

    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let nowhere = VapiClient::with_options(
        &format!("http://127.0.0.1:{port}"),
        SecretKey::new("k-123".into()),
        ClientOptions {
            max_retries: 1,
            ..patient()
        },
    )
    .unwrap();
    let err = nowhere.list_orgs().await.unwrap_err();
    assert!(
        matches!(
            err,
            VapiError::Unreachable {
                reason: "could not connect",
                ..
            }
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("internet connection"));
}

#[tokio::test]
async fn a_delete_whose_answer_was_lost_still_succeeds() {
    let sim = start_sim().await;
    let org = sim.manifest().orgs[0].clone();
    let api = client(&sim, &org.private_key, patient());
    let token = api
        .create_token(&CreateTokenDto {
            tag: TokenTag::Public,
            name: Some("to delete".into()),
            restrictions: None,
        })
        .await
        .unwrap();
    // Every successful answer is cut short: the first DELETE goes through but its answer is
    // lost; the retry then finds the key gone, which means the delete worked.
    sim.handle().set_faults(Faults {
        truncate_rate: 1.0,
        ..Faults::default()
    });
    let before = sim.handle().request_count();
    api.delete_token(&token.id).await.unwrap();
    assert_eq!(sim.handle().request_count() - before, 2);
    sim.handle().set_faults(Faults::default());
    assert!(matches!(
        api.get_token(&token.id).await,
        Err(VapiError::NotFound { .. })
    ));
    sim.shutdown().await;
}
