//! Creators and contributors as users write them: a name, a list of names, or objects with
//! `name` (or pandoc's `text`), `role` (a MARC relator code or its English name) and `file-as`.

use anyhow::{Result, bail};

use super::metadata::Creator;

/// MARC relator codes (https://id.loc.gov/vocabulary/relators) a book is likely to credit,
/// with the English words users write instead.
const ROLES: &[(&str, &[&str])] = &[
    ("abr", &["abridger"]),
    ("adp", &["adapter"]),
    ("aft", &["author of afterword"]),
    ("anl", &["analyst"]),
    ("ann", &["annotator"]),
    ("ant", &["bibliographic antecedent"]),
    ("arr", &["arranger"]),
    ("art", &["artist"]),
    ("aui", &["author of introduction", "introduction"]),
    ("aut", &["author", "writer"]),
    ("bkd", &["book designer"]),
    ("bkp", &["book producer"]),
    ("blw", &["blurb writer"]),
    ("cll", &["calligrapher"]),
    ("clr", &["colorist", "colourist"]),
    ("cmm", &["commentator"]),
    ("cmp", &["composer"]),
    ("com", &["compiler"]),
    ("cov", &["cover designer"]),
    ("cph", &["copyright holder"]),
    ("cre", &["creator"]),
    ("ctb", &["contributor"]),
    ("ctg", &["cartographer"]),
    ("cwt", &["commentator for written text"]),
    ("dsr", &["designer"]),
    ("dte", &["dedicatee"]),
    ("edc", &["editor of compilation"]),
    ("edt", &["editor"]),
    ("egr", &["engraver"]),
    ("fmo", &["former owner"]),
    ("ill", &["illustrator"]),
    ("ins", &["inscriber"]),
    ("isb", &["issuing body"]),
    ("itr", &["instrumentalist"]),
    ("ive", &["interviewee"]),
    ("ivr", &["interviewer"]),
    ("lyr", &["lyricist"]),
    ("mod", &["moderator"]),
    ("mus", &["musician"]),
    ("nrt", &["narrator"]),
    ("orm", &["organizer"]),
    ("oth", &["other"]),
    ("own", &["owner"]),
    ("pbd", &["publishing director"]),
    ("pbl", &["publisher"]),
    ("pfr", &["proofreader"]),
    ("pht", &["photographer"]),
    ("prf", &["performer"]),
    ("prg", &["programmer"]),
    ("prt", &["printer"]),
    ("red", &["redaktor"]),
    ("rev", &["reviewer"]),
    ("rsp", &["respondent"]),
    ("scl", &["sculptor"]),
    ("sng", &["singer"]),
    ("spk", &["speaker"]),
    ("spn", &["sponsor"]),
    ("stl", &["storyteller"]),
    ("trc", &["transcriber"]),
    ("trl", &["translator"]),
    ("tyd", &["type designer"]),
    ("tyg", &["typographer"]),
    ("wac", &["writer of added commentary"]),
    ("wam", &["writer of accompanying material"]),
    ("wat", &["writer of added text"]),
    ("win", &["writer of introduction"]),
    ("wpr", &["writer of preface"]),
    ("wst", &["writer of supplementary textual content"]),
];

/// The English name of a relator code (`trl` → `translator`); unknown codes as they are.
pub fn role_name(code: &str) -> &str {
    ROLES
        .iter()
        .find(|(c, _)| *c == code)
        .and_then(|(_, words)| words.first().copied())
        .unwrap_or(code)
}

/// The MARC relator code for `role` (`trl`, `Translator`, `translator` → `trl`).
pub fn role_code(role: &str) -> Result<&'static str> {
    let wanted = role.trim().to_ascii_lowercase();
    for (code, words) in ROLES {
        if *code == wanted || words.contains(&wanted.as_str()) {
            return Ok(code);
        }
    }
    bail!(
        "`{role}` is not a MARC relator role; expected a code such as `aut` (author), `edt` \
         (editor), `trl` (translator), `ill` (illustrator), or its English name"
    )
}

/// A person built from their parts, with `default_role` when none was given.
pub fn person(
    name: &str,
    role: Option<&str>,
    file_as: Option<&str>,
    default_role: &str,
) -> Result<Creator> {
    let name = name.trim();
    if name.is_empty() {
        bail!("the name is empty");
    }
    let role = match role {
        Some(r) => role_code(r)?.to_string(),
        None => default_role.to_string(),
    };
    Ok(Creator {
        name: name.to_string(),
        role,
        file_as: file_as
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_by_code_or_name() {
        assert_eq!(role_code("trl").unwrap(), "trl");
        assert_eq!(role_code("Translator").unwrap(), "trl");
        assert_eq!(role_code("editor").unwrap(), "edt");
        let err = role_code("chef").unwrap_err().to_string();
        assert!(err.contains("MARC relator"), "{err}");
    }

    #[test]
    fn person_defaults_and_trims() {
        let p = person(" Ada ", None, Some(" Lovelace, Ada "), "aut").unwrap();
        assert_eq!(p.name, "Ada");
        assert_eq!(p.role, "aut");
        assert_eq!(p.file_as.as_deref(), Some("Lovelace, Ada"));
        assert!(person("  ", None, None, "aut").is_err());
    }
}
