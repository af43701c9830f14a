//! Writing an output file atomically, with the mode a plain write would give it.

use std::io::Write;
use std::path::Path;

/// Writes `bytes` to `path` atomically: a temporary file in the same directory, synced, then
/// renamed over the target, so a failure leaves no file and an existing one untouched.
///
/// On Unix a new file gets the mode any new file gets (`0o666` less the umask: the temporary
/// file is opened with `0o666` and the kernel applies the umask, so the umask is never read or
/// changed); an overwritten file keeps its permission bits.
///
/// A target that exists and is not a regular file (`/dev/stdout`, a named pipe) is written in
/// place: renaming over it would replace the device or pipe with a file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let existing = std::fs::metadata(path).ok();
    if existing
        .as_ref()
        .is_some_and(|m| !m.is_file() && !m.is_dir())
    {
        let mut file = std::fs::OpenOptions::new().write(true).open(path)?;
        return file.write_all(bytes).and_then(|_| file.flush());
    }
    let mut builder = tempfile::Builder::new();
    builder.prefix(".hookbridge-").suffix(".tmp");
    #[cfg(unix)]
    if existing.is_none() {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    // Set before writing: the content is never readable by more users than the target's.
    #[cfg(unix)]
    if let Some(meta) = &existing {
        use std::os::unix::fs::PermissionsExt;
        let mode = meta.permissions().mode() & 0o777;
        tmp.as_file()
            .set_permissions(std::fs::Permissions::from_mode(mode))?;
    }
    #[cfg(not(unix))]
    let _ = existing;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::write_atomic;
    use std::os::unix::fs::PermissionsExt;

    fn mode(p: &std::path::Path) -> u32 {
        std::fs::metadata(p)
            .map(|m| m.permissions().mode() & 0o777)
            .unwrap_or(0)
    }

    #[test]
    fn overwrite_keeps_the_mode_and_leaves_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("out.yaml");
        std::fs::write(&p, "old").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "new");
        assert_eq!(mode(&p), 0o640);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_new_file_is_not_owner_only() {
        // The test process's umask is unknown; group/other read are granted unless it masks them.
        let dir = tempfile::tempdir().unwrap();
        let probe = dir.path().join("probe");
        std::fs::write(&probe, "").unwrap();
        let p = dir.path().join("out.yaml");
        write_atomic(&p, b"x").unwrap();
        assert_eq!(mode(&p), mode(&probe));
    }

    #[test]
    fn a_named_pipe_is_written_not_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&p).status();
        if !made.is_ok_and(|s| s.success()) {
            return;
        }
        let reader = {
            let p = p.clone();
            std::thread::spawn(move || std::fs::read_to_string(p).unwrap())
        };
        write_atomic(&p, b"through").unwrap();
        assert_eq!(reader.join().unwrap(), "through");
        assert!(!std::fs::metadata(&p).unwrap().is_file());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn a_missing_parent_folder_is_an_error() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("no/such/out.yaml");
        assert!(write_atomic(&p, b"x").is_err());
    }
}
