//! vCards (RFC 6350, version 4.0), so a visitor can add a member to their address book.
//!
//! vCard shares iCalendar's content-line syntax (CRLF, folding at 75 octets, backslash
//! escapes), so lines go through the calendar module's [`ContentLines`], which already
//! guarantees those rules for every line.

use crate::calendar::text::{ContentLines, escape_text};

/// What a card says about one person; every field but the name is optional.
#[derive(Debug, Default)]
pub struct Card<'a> {
    pub name: &'a str,
    pub family: &'a str,
    pub given: &'a str,
    pub email: Option<&'a str>,
    pub phone: Option<&'a str>,
    /// The profile page first, then the member's own website.
    pub urls: Vec<String>,
    /// The organisation, e.g. the hub's title.
    pub org: Option<&'a str>,
    /// The position.
    pub title: Option<&'a str>,
    /// Absolute URL of a photo.
    pub photo: Option<String>,
}

/// The card as text, CRLF-terminated.
pub fn write(card: &Card) -> String {
    let mut lines = ContentLines::default();
    lines.begin("VCARD");
    lines.property("VERSION", &[], "4.0");
    lines.text("FN", card.name);
    let n = format!(
        "{};{};;;",
        escape_text(card.family),
        escape_text(card.given)
    );
    lines.property("N", &[], &n);
    if let Some(email) = card.email {
        lines.property("EMAIL", &[("TYPE", "work")], &escape_text(email));
    }
    if let Some(phone) = card.phone {
        lines.property("TEL", &[("TYPE", "work,voice")], &escape_text(phone));
    }
    for url in &card.urls {
        lines.property("URL", &[], url);
    }
    if let Some(org) = card.org {
        lines.text("ORG", org);
    }
    if let Some(title) = card.title {
        lines.text("TITLE", title);
    }
    if let Some(photo) = &card.photo {
        lines.property("PHOTO", &[], photo);
    }
    lines.end("VCARD");
    lines.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_is_crlf_escaped_and_folded() {
        let long = "Staff Scientist; Machine Learning, Quantum Information Science and the ATLAS experiment";
        let text = write(&Card {
            name: "Benjamin Nachman",
            family: "Nachman",
            given: "Benjamin",
            email: Some("BPNachman@lbl.gov"),
            phone: Some("(510)486-4606"),
            urls: vec!["https://example.org/people/benjamin-nachman/".into()],
            org: Some("ML; Physics"),
            title: Some(long),
            photo: None,
        });
        assert!(text.starts_with(
            "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Benjamin Nachman\r\nN:Nachman;Benjamin;;;\r\n"
        ));
        assert!(text.contains("ORG:ML\\; Physics\r\n"));
        assert!(text.contains("TEL;TYPE=\"work,voice\":(510)486-4606\r\n"));
        assert!(text.ends_with("END:VCARD\r\n"));
        assert!(text.split("\r\n").all(|l| l.len() <= 75));
        assert!(!text.replace("\r\n", "").contains('\n'));
    }
}
