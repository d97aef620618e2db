//! inkbind never touches the network: no networking crate is linked, no source file
//! opens a socket, and a build of a book full of remote images, links and a URL given as
//! a stylesheet makes no network system call at all (traced with strace where installed).

mod common;

use std::path::Path;

use common::{inkbind, project};

#[test]
fn no_networking_crate_or_socket_code() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let lock = std::fs::read_to_string(repo.join("Cargo.lock")).unwrap();
    let clients = [
        "reqwest",
        "hyper",
        "ureq",
        "curl",
        "curl-sys",
        "isahc",
        "attohttpc",
        "surf",
        "h2",
        "native-tls",
        "openssl",
        "rustls",
        "tokio",
    ];
    for name in clients {
        assert!(
            !lock.contains(&format!("name = \"{name}\"\n")),
            "Cargo.lock links `{name}`"
        );
    }
    let mut stack = vec![repo.join("src")];
    let mut files = 0;
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files += 1;
                let text = std::fs::read_to_string(&path).unwrap();
                for word in [
                    "std::net",
                    "TcpStream",
                    "UdpSocket",
                    "ToSocketAddrs",
                    "TcpListener",
                ] {
                    assert!(!text.contains(word), "{} uses `{word}`", path.display());
                }
            }
        }
    }
    assert!(files > 50, "read only {files} source files");
}

#[test]
fn a_build_full_of_urls_makes_no_network_call() {
    let md = "---\ntitle: Net\nlang: en\n---\n\n\
              ![remote](https://example.com/a.png) [link](https://example.com/page)\n\n\
              <img src=\"http://example.com/b.png\" alt=\"b\"> <a href=\"//example.com/c\">c</a>\n\n\
              <svg><image href=\"https://example.com/c.png\"/></svg>\n";
    let dir = project(&[("manuscript/a.md", md.as_bytes())]);
    let Ok(strace) = std::process::Command::new("strace").arg("-V").output() else {
        eprintln!("\n*** SKIPPED: strace not installed; the static check above still ran ***\n");
        return;
    };
    assert!(strace.status.success());
    // The trace must see a socket when there is one (bash opening a loopback port), or
    // this test could not fail.
    let probe = dir.path().join("probe.txt");
    std::process::Command::new("strace")
        .args(["-f", "-qq", "-e", "trace=%network", "-o"])
        .arg(&probe)
        .args(["bash", "-c", "exec 3<>/dev/tcp/127.0.0.1/9 || true"])
        .output()
        .unwrap();
    let seen = std::fs::read_to_string(&probe).unwrap();
    assert!(seen.contains("socket("), "strace saw no socket: {seen}");
    let binary = inkbind(dir.path()).get_program().to_owned();
    for args in [
        vec!["build"],
        vec!["build", "--css", "https://example.com/x.css"],
    ] {
        let trace = dir.path().join("trace.txt");
        let out = std::process::Command::new("strace")
            .args(["-f", "-qq", "-e", "trace=%network", "-o"])
            .arg(&trace)
            .arg(&binary)
            .args(&args)
            .current_dir(dir.path())
            .env("NO_COLOR", "1")
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{stderr}");
        let calls = std::fs::read_to_string(&trace).unwrap();
        assert!(
            calls.trim().is_empty(),
            "{args:?} made network calls:\n{calls}"
        );
    }
    // The first build succeeded with the remote images kept as links; the second was
    // refused for its URL stylesheet.
    assert!(dir.path().join("out/net.epub").is_file());
}
