//! A zip writer laid out byte for byte the way Go's `archive/zip` writes what the archive
//! provider asks of it: local header with a data descriptor (flag 0x8), no extra fields, the
//! provider's fixed timestamp, creator version 2.0 (3.20 when a Unix mode is recorded), the
//! UTF-8 flag by Go's `detectUTF8` rule, the central directory and the end record.
//!
//! Known gap, why the archive's checksums are not Terraform's: the provider's
//! `output_base64sha256` (and `output_md5`, `output_sha*`) hash the zip file's bytes, and those
//! bytes include each entry's DEFLATE stream. Go's `archive/zip` compresses with its own
//! `compress/flate` at level 5; that encoder is not zlib's: it hashes 4 bytes to find matches
//! (minimum match 4, a 2^17-entry hash table), ends a block every 2^14 tokens, and chooses
//! each block's stored / fixed / dynamic Huffman form and code lengths with its own
//! algorithms, and it ends every stream with an empty final stored block (`01 00 00 ff ff`,
//! the whole stream of an empty file) where flate2 sets the final bit on its last data block
//! (an empty file is `03 00`). flate2 (miniz_oxide / zlib at level 5, the same good/lazy/nice/chain
//! parameters) is a different encoder, so the compressed bytes, hence the checksums, differ for
//! almost every input. Everything else in the file is the same: names, order, times, modes,
//! CRCs, sizes. Byte identity needs a line-by-line port of Go's `deflate.go`,
//! `huffman_bit_writer.go` and `huffman_code.go` (levels 2-9 path), checkable against
//! Terraform's `base64gzip` (the same encoder at level 6): not done. The entries could instead
//! be stored (method 0) to be deterministic across implementations, but that does not match
//! Terraform either.

use std::io::Write;

use flate2::write::DeflateEncoder;
use flate2::Compression;

/// `zip.FileHeader.SetModTime(time.Time{})`: Go's MS-DOS date for year 1, January 1st, which
/// wraps to 2049-01-01 00:00.
pub const ZERO_TIME_DATE: u16 = 0x8a21;

/// One entry to write.
pub struct Entry {
    pub name: String,
    pub content: Vec<u8>,
    /// Unix mode bits (`0o644`) when the entry records one (files and folders; inline content
    /// records none).
    pub mode: Option<u32>,
}

struct Written {
    name: Vec<u8>,
    flags: u16,
    creator_version: u16,
    date: u16,
    crc: u32,
    compressed: u32,
    uncompressed: u32,
    external_attributes: u32,
    offset: u32,
}

/// Go's `detectUTF8`: the UTF-8 flag is set when a name has a character outside 0x20..=0x7d
/// or a backslash (the characters CP-437 and UTF-8 do not share), `~` included.
fn needs_utf8_flag(name: &str) -> bool {
    name.chars()
        .any(|character| !(' '..='}').contains(&character) || character == '\\')
}

/// The zip archive of `entries`, in the given order.
pub fn zip(entries: &[Entry]) -> std::io::Result<Vec<u8>> {
    let mut out: Vec<u8> = Vec::new();
    let mut written = Vec::new();
    for entry in entries {
        let name = entry.name.as_bytes().to_vec();
        let mut flags = 0x8u16;
        if needs_utf8_flag(&entry.name) {
            flags |= 0x800;
        }
        let (creator_version, date, external_attributes) = match entry.mode {
            Some(mode) => {
                let mut attributes = (0o100000 | (mode & 0o7777)) << 16;
                if mode & 0o200 == 0 {
                    attributes |= 0x01;
                }
                (0x0300 | 20, ZERO_TIME_DATE, attributes)
            }
            None => (20, 0, 0),
        };
        let offset = out.len() as u32;
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&flags.to_le_bytes());
        out.extend_from_slice(&8u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&date.to_le_bytes());
        out.extend_from_slice(&[0; 12]);
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&name);
        let mut encoder = DeflateEncoder::new(Vec::new(), Compression::new(5));
        encoder.write_all(&entry.content)?;
        let compressed = encoder.finish()?;
        out.extend_from_slice(&compressed);
        let crc = crc32fast::hash(&entry.content);
        out.extend_from_slice(&0x0807_4b50u32.to_le_bytes());
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(compressed.len() as u32).to_le_bytes());
        out.extend_from_slice(&(entry.content.len() as u32).to_le_bytes());
        written.push(Written {
            name,
            flags,
            creator_version,
            date,
            crc,
            compressed: compressed.len() as u32,
            uncompressed: entry.content.len() as u32,
            external_attributes,
            offset,
        });
    }
    let directory_start = out.len() as u32;
    for entry in &written {
        out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        out.extend_from_slice(&entry.creator_version.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&entry.flags.to_le_bytes());
        out.extend_from_slice(&8u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&entry.date.to_le_bytes());
        out.extend_from_slice(&entry.crc.to_le_bytes());
        out.extend_from_slice(&entry.compressed.to_le_bytes());
        out.extend_from_slice(&entry.uncompressed.to_le_bytes());
        out.extend_from_slice(&(entry.name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&entry.external_attributes.to_le_bytes());
        out.extend_from_slice(&entry.offset.to_le_bytes());
        out.extend_from_slice(&entry.name);
    }
    let directory_size = out.len() as u32 - directory_start;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(written.len() as u16).to_le_bytes());
    out.extend_from_slice(&(written.len() as u16).to_le_bytes());
    out.extend_from_slice(&directory_size.to_le_bytes());
    out.extend_from_slice(&directory_start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::DeflateDecoder;
    use std::io::Read;

    fn u16_at(bytes: &[u8], at: usize) -> u16 {
        u16::from_le_bytes([bytes[at], bytes[at + 1]])
    }

    fn u32_at(bytes: &[u8], at: usize) -> u32 {
        u32::from_le_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
    }

    #[test]
    fn entries_are_laid_out_as_go_writes_them() {
        let archive = zip(&[
            Entry {
                name: "a.txt".into(),
                content: b"hello a".to_vec(),
                mode: None,
            },
            Entry {
                name: "bin/run".into(),
                content: b"#!/bin/sh\n".to_vec(),
                mode: Some(0o755),
            },
        ])
        .unwrap();
        // Local header of the first entry.
        assert_eq!(u32_at(&archive, 0), 0x0403_4b50);
        assert_eq!(u16_at(&archive, 4), 20);
        assert_eq!(u16_at(&archive, 6), 0x8);
        assert_eq!(u16_at(&archive, 8), 8);
        assert_eq!(u16_at(&archive, 12), 0, "inline content has no date");
        assert_eq!(u32_at(&archive, 14), 0, "crc in the data descriptor");
        assert_eq!(&archive[30..35], b"a.txt");
        let end = archive.len() - 22;
        assert_eq!(u32_at(&archive, end), 0x0605_4b50);
        assert_eq!(u16_at(&archive, end + 10), 2);
        let directory = u32_at(&archive, end + 16) as usize;
        // Second central directory entry: Unix creator, the fixed date, mode 0755.
        let first_name_length = u16_at(&archive, directory + 28) as usize;
        let second = directory + 46 + first_name_length;
        assert_eq!(u32_at(&archive, second), 0x0201_4b50);
        assert_eq!(u16_at(&archive, second + 4), 0x0314);
        assert_eq!(u16_at(&archive, second + 14), ZERO_TIME_DATE);
        assert_eq!(u32_at(&archive, second + 38), 0x81ed_0000);
        assert_eq!(
            u32_at(&archive, second + 16),
            crc32fast::hash(b"#!/bin/sh\n")
        );
        // The first entry's data inflates back.
        let compressed_size = u32_at(&archive, directory + 20) as usize;
        let mut inflated = String::new();
        DeflateDecoder::new(&archive[35..35 + compressed_size])
            .read_to_string(&mut inflated)
            .unwrap();
        assert_eq!(inflated, "hello a");
    }

    #[test]
    fn names_outside_the_shared_ascii_range_set_the_utf8_flag_as_go_does() {
        assert!(!needs_utf8_flag("src/index.js"));
        assert!(needs_utf8_flag("~backup.txt"));
        assert!(needs_utf8_flag("café.txt"));
        let archive = zip(&[Entry {
            name: "~x".into(),
            content: Vec::new(),
            mode: None,
        }])
        .unwrap();
        assert_eq!(u16_at(&archive, 6), 0x808);
    }

    #[test]
    fn a_read_only_file_carries_the_msdos_read_only_bit() {
        let archive = zip(&[Entry {
            name: "r".into(),
            content: Vec::new(),
            mode: Some(0o444),
        }])
        .unwrap();
        let end = archive.len() - 22;
        let directory = u32_at(&archive, end + 16) as usize;
        assert_eq!(u32_at(&archive, directory + 38), 0x8124_0001);
    }
}
