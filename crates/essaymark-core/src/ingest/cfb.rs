//! Just enough of the Compound File Binary format (the OLE container of
//! legacy .doc files) to tell a password-protected .docx/.xlsx/.pptx from a
//! legacy document: Office encrypts an OOXML file by storing it in a CFB
//! container with the streams `EncryptionInfo` and `EncryptedPackage`.
//! Only the directory is read, through the sector chain the file
//! allocation table (FAT) gives it; every offset is bounds-checked and the
//! walk stops after as many sectors as the file has.

/// The eight bytes every CFB file starts with.
pub(crate) const MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

const END_OF_CHAIN: u32 = 0xFFFF_FFFE;
/// FAT sectors the header lists itself (the rest are in a DIFAT chain,
/// which only files over about 7 MB with 512-byte sectors need).
const HEADER_DIFAT: usize = 109;

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// Whether `bytes` is a CFB container with an `EncryptedPackage` or
/// `EncryptionInfo` stream: an encrypted Office Open XML document.
pub(crate) fn is_encrypted_office(bytes: &[u8]) -> bool {
    if !bytes.starts_with(MAGIC) {
        return false;
    }
    let Some(shift) = u16_at(bytes, 0x1E) else {
        return false;
    };
    if !(9..=12).contains(&shift) {
        return false;
    }
    let size = 1usize << shift;
    let sector = |n: u32| -> Option<&[u8]> {
        let start = (n as usize).checked_add(1)?.checked_mul(size)?;
        bytes.get(start..start.checked_add(size)?)
    };
    // The FAT entry for sector `n`: which FAT sector holds it (from the
    // header's list), then the entry in it.
    let per_fat = size / 4;
    let next = |n: u32| -> Option<u32> {
        let which = n as usize / per_fat;
        if which >= HEADER_DIFAT {
            return None;
        }
        let fat_sector = u32_at(bytes, 0x4C + 4 * which)?;
        u32_at(sector(fat_sector)?, 4 * (n as usize % per_fat))
    };
    let Some(mut at) = u32_at(bytes, 0x30) else {
        return false;
    };
    let mut budget = bytes.len() / size + 1;
    while at != END_OF_CHAIN && budget > 0 {
        budget -= 1;
        let Some(dir) = sector(at) else {
            return false;
        };
        for entry in dir.chunks_exact(128) {
            let len = usize::from(u16_at(entry, 64).unwrap_or(0)).min(64);
            let is_stream = entry[66] == 2;
            let name: Vec<u16> = entry[..len]
                .chunks_exact(2)
                .map(|c| u16::from_le_bytes([c[0], c[1]]))
                .take_while(|&u| u != 0)
                .collect();
            if is_stream
                && (name == "EncryptedPackage".encode_utf16().collect::<Vec<_>>()
                    || name == "EncryptionInfo".encode_utf16().collect::<Vec<_>>())
            {
                return true;
            }
        }
        match next(at) {
            Some(n) => at = n,
            None => return false,
        }
    }
    false
}

#[cfg(test)]
pub(crate) mod test_cfb {
    //! A minimal CFB file: 512-byte sectors, sector 0 the FAT, sector 1 the
    //! directory with a root entry and one stream entry per name.
    use super::MAGIC;

    pub(crate) fn build(streams: &[&str]) -> Vec<u8> {
        assert!(streams.len() < 4, "one directory sector");
        let mut out = vec![0u8; 512 * 3];
        out[..8].copy_from_slice(MAGIC);
        out[0x18..0x1A].copy_from_slice(&0x3Eu16.to_le_bytes()); // minor version
        out[0x1A..0x1C].copy_from_slice(&3u16.to_le_bytes()); // major version
        out[0x1C..0x1E].copy_from_slice(&0xFFFEu16.to_le_bytes()); // little-endian
        out[0x1E..0x20].copy_from_slice(&9u16.to_le_bytes()); // 512-byte sectors
        out[0x20..0x22].copy_from_slice(&6u16.to_le_bytes()); // 64-byte mini sectors
        out[0x2C..0x30].copy_from_slice(&1u32.to_le_bytes()); // one FAT sector
        out[0x30..0x34].copy_from_slice(&1u32.to_le_bytes()); // directory at sector 1
        out[0x38..0x3C].copy_from_slice(&4096u32.to_le_bytes());
        out[0x3C..0x40].copy_from_slice(&super::END_OF_CHAIN.to_le_bytes());
        out[0x44..0x48].copy_from_slice(&super::END_OF_CHAIN.to_le_bytes());
        for i in 0..109 {
            let v = if i == 0 { 0 } else { 0xFFFF_FFFF };
            out[0x4C + 4 * i..0x50 + 4 * i].copy_from_slice(&u32::to_le_bytes(v));
        }
        // FAT (sector 0, at 512): itself, then the directory's end of chain.
        let fat = 512;
        out[fat..fat + 4].copy_from_slice(&0xFFFF_FFFDu32.to_le_bytes());
        out[fat + 4..fat + 8].copy_from_slice(&super::END_OF_CHAIN.to_le_bytes());
        for i in 2..128 {
            out[fat + 4 * i..fat + 4 * i + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
        }
        // Directory (sector 1, at 1024).
        let names = std::iter::once(("Root Entry", 5u8)).chain(streams.iter().map(|s| (*s, 2)));
        for (i, (name, kind)) in names.enumerate() {
            let e = 1024 + 128 * i;
            let units: Vec<u16> = name.encode_utf16().chain([0]).collect();
            for (j, u) in units.iter().enumerate() {
                out[e + 2 * j..e + 2 * j + 2].copy_from_slice(&u.to_le_bytes());
            }
            out[e + 64..e + 66].copy_from_slice(&((units.len() * 2) as u16).to_le_bytes());
            out[e + 66] = kind;
            for off in [68, 72, 76] {
                out[e + off..e + off + 4].copy_from_slice(&0xFFFF_FFFFu32.to_le_bytes());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encrypted_package_is_found_and_a_plain_doc_is_not() {
        assert!(is_encrypted_office(&test_cfb::build(&[
            "EncryptionInfo",
            "EncryptedPackage"
        ])));
        assert!(!is_encrypted_office(&test_cfb::build(&[
            "WordDocument",
            "1Table"
        ])));
        assert!(!is_encrypted_office(MAGIC));
        let mut bad = test_cfb::build(&["EncryptedPackage"]);
        bad[0x30..0x34].copy_from_slice(&0x7FFF_FFFFu32.to_le_bytes());
        assert!(!is_encrypted_office(&bad));
        // A FAT that chains the directory to itself ends.
        let mut lo = test_cfb::build(&["WordDocument"]);
        lo[512 + 4..512 + 8].copy_from_slice(&1u32.to_le_bytes());
        assert!(!is_encrypted_office(&lo));
    }
}
