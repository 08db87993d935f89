//! Offices that inspect TLS put their own certificate authority in the OS certificate store:
//! agencydesk trusts that store as well as its bundled roots. Tested with the real CLI against a
//! TLS front (on 127.0.0.1) for the simulator, signed by a throwaway authority that only the
//! "OS store" knows: OpenSSL's `SSL_CERT_FILE`, which the native store loader reads.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::sync::Arc;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::rustls::pki_types::{PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::{crypto, ServerConfig};
use tokio_rustls::TlsAcceptor;
use vapi_sim::{Sim, SimConfig};

/// A certificate authority (its PEM) and a TLS acceptor for 127.0.0.1 signed by it.
fn authority_and_acceptor() -> (String, TlsAcceptor) {
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "Office TLS inspection (test)");
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    let leaf_key = KeyPair::generate().unwrap();
    let leaf = CertificateParams::new(vec!["127.0.0.1".to_owned()])
        .unwrap()
        .signed_by(&leaf_key, &ca_cert, &ca_key)
        .unwrap();
    let config = ServerConfig::builder_with_provider(Arc::new(crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![leaf.der().clone()],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(leaf_key.serialize_der())),
        )
        .unwrap();
    (ca_cert.pem(), TlsAcceptor::from(Arc::new(config)))
}

/// Serves TLS on 127.0.0.1 and relays each connection, decrypted, to `upstream`.
async fn tls_front(acceptor: TlsAcceptor, upstream: SocketAddr) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(tcp).await else {
                    return;
                };
                if let Ok(mut plain) = TcpStream::connect(upstream).await {
                    let _ = tokio::io::copy_bidirectional(&mut tls, &mut plain).await;
                }
            });
        }
    });
    addr
}

fn link(base_url: &str, key: &str, data_dir: &Path, cert_file: Option<&Path>) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_agencydesk"));
    cmd.args(["--demo", "clients", "link", "--base-url", base_url])
        .env("AGENCYDESK_DATA_DIR", data_dir)
        .env_remove("SSL_CERT_FILE")
        .env_remove("SSL_CERT_DIR")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(file) = cert_file {
        cmd.env("SSL_CERT_FILE", file);
    }
    let mut child = cmd.spawn().unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(key.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

// Multi-threaded: the simulator and the TLS front must keep serving while this thread waits.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_authority_in_the_os_store_is_trusted_and_an_unknown_one_is_not() {
    let config = SimConfig {
        orgs: 1,
        days: 1,
        calls_per_day: 1,
        ..SimConfig::default()
    };
    let sim = Sim::start(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap();
    let sim_addr: SocketAddr = sim.url().trim_start_matches("http://").parse().unwrap();
    let (ca_pem, acceptor) = authority_and_acceptor();
    let front = tls_front(acceptor, sim_addr).await;
    let base_url = format!("https://{front}");
    let org = sim.manifest().orgs[0].clone();
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("office-ca.pem");
    std::fs::write(&ca_file, ca_pem).unwrap();

    // Not in the store: the connection is refused, and the error says why.
    let data = tempfile::tempdir().unwrap();
    let out = link(&base_url, &org.private_key, data.path(), None);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "linked through an unknown authority");
    assert!(stderr.contains("certificate is not trusted"), "{stderr}");
    assert!(!stderr.contains(&org.private_key));

    // In the store: linked.
    let data = tempfile::tempdir().unwrap();
    let out = link(&base_url, &org.private_key, data.path(), Some(&ca_file));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
