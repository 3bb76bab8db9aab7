//! Scanning text for the few bytes an escaper must replace.
//!
//! Escapers (HTML in templates, TEXT in calendar feeds) see mostly clean text; looking at
//! it a byte at a time with a branch each was most of their cost in build profiles. Here
//! blocks of 16 bytes are tested without branches, which the compiler vectorises, and only
//! a block with a hit is looked at byte by byte.

/// Bytes tested at once.
const BLOCK: usize = 16;

/// The index of the first byte from `from` on that `special` picks. `special` should
/// compare with `|`, not `matches!` (which becomes a bit test the compiler cannot
/// vectorise).
pub fn next_special(
    bytes: &[u8],
    from: usize,
    special: impl Fn(u8) -> bool + Copy,
) -> Option<usize> {
    let rest = &bytes[from..];
    let blocks = rest.chunks_exact(BLOCK);
    let tail = blocks.remainder();
    for (n, block) in blocks.enumerate() {
        if let Some(i) = special_in_block(block.try_into().expect("a whole block"), special) {
            return Some(from + n * BLOCK + i);
        }
    }
    // Most values are shorter than a block: the tail is tested as a block too, padded
    // with NUL; a hit in the padding (for an escaper that picks NUL) is no hit.
    let mut last = [0; BLOCK];
    last[..tail.len()].copy_from_slice(tail);
    let i = special_in_block(&last, special).filter(|&i| i < tail.len());
    i.map(|i| bytes.len() - tail.len() + i)
}

/// The index of the first byte of `block` that `special` picks.
fn special_in_block(block: &[u8; BLOCK], special: impl Fn(u8) -> bool + Copy) -> Option<usize> {
    if !any_special(block, special) {
        return None;
    }
    block.iter().position(|&b| special(b))
}

/// Whether `special` picks any byte of `block`, without a branch per byte (written inline
/// above, the test and the search were fused into slower code).
fn any_special(block: &[u8; BLOCK], special: impl Fn(u8) -> bool) -> bool {
    block.iter().fold(false, |hit, &b| hit | special(b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_each_special_byte_in_order_whatever_the_length() {
        let special = |b: u8| (b == b'&') | (b == 0);
        for len in 0..50 {
            for at in 0..len {
                let mut bytes = vec![b'a'; len];
                bytes[at] = b'&';
                if at + 3 < len {
                    bytes[at + 3] = 0;
                }
                assert_eq!(next_special(&bytes, 0, special), Some(at), "{len} {at}");
                let after = (at + 3 < len).then_some(at + 3);
                assert_eq!(next_special(&bytes, at + 1, special), after, "{len} {at}");
            }
            assert_eq!(next_special(&vec![b'a'; len], 0, special), None, "{len}");
        }
    }
}
