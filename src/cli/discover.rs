//! Which documents the inputs of a batch name (issue 13, item 3): files as given, the root
//! documents under a directory, the root documents a quoted glob pattern matches.

use std::path::{Path, PathBuf};

use hookbridge::document::discover::{document_files, is_root_document};

/// One document of a batch, with where its output goes relative to the output directory.
#[derive(Debug)]
pub struct Job {
    pub input: PathBuf,
    /// The input's path relative to its base: the directory or glob base it was found under,
    /// or, for files given by name, the deepest folder they all lie in.
    pub rel: PathBuf,
}

/// The documents of a batch, in the order of the arguments (sorted within a directory or a
/// pattern), and how many files a directory or pattern held that are not root documents.
#[derive(Debug, Default)]
pub struct Found {
    pub jobs: Vec<Job>,
    pub skipped: usize,
}

/// True for an argument that is a glob pattern rather than a path: it names no file and holds
/// a wildcard.
pub fn is_pattern(p: &Path) -> bool {
    !p.exists() && p.to_str().is_some_and(|s| s.contains(['*', '?', '[']))
}

/// Expands the arguments into documents. Errors are usage errors (a bad pattern, a pattern
/// that matches nothing, standard input among several inputs).
pub fn expand(inputs: &[PathBuf]) -> Result<Found, String> {
    let mut found = Found::default();
    // Files given by name, placed once the folder they share is known.
    let mut named: Vec<(usize, PathBuf)> = Vec::new();
    for input in inputs {
        if input.as_os_str() == "-" {
            return Err("standard input (`-`) cannot be one of several inputs".into());
        }
        if input.is_dir() {
            add_roots(&mut found, document_files(input), input);
        } else if is_pattern(input) {
            let (files, base) = glob_files(input)?;
            add_roots(&mut found, files, &base);
        } else {
            // A missing file is kept: it fails as the single-file convert fails, named.
            named.push((found.jobs.len(), input.clone()));
            found.jobs.push(Job {
                input: input.clone(),
                rel: PathBuf::new(),
            });
        }
    }
    let base = common_folder(named.iter().map(|(_, p)| p.as_path()));
    for (i, path) in named {
        let abs = absolute(&path);
        let rel = base
            .as_deref()
            .and_then(|b| abs.strip_prefix(b).ok())
            .map(Path::to_path_buf);
        found.jobs[i].rel = rel.unwrap_or_else(|| {
            path.file_name()
                .map(PathBuf::from)
                .unwrap_or_else(|| path.clone())
        });
    }
    dedup(&mut found.jobs);
    Ok(found)
}

fn add_roots(found: &mut Found, files: Vec<PathBuf>, base: &Path) {
    for file in files {
        if !is_root_document(&file) {
            found.skipped += 1;
            continue;
        }
        let rel = file.strip_prefix(base).unwrap_or(&file).to_path_buf();
        found.jobs.push(Job { input: file, rel });
    }
}

/// The same file reached twice (a directory and a file in it) is converted once.
fn dedup(jobs: &mut Vec<Job>) {
    let mut seen = std::collections::HashSet::new();
    jobs.retain(|j| {
        seen.insert(std::fs::canonicalize(&j.input).unwrap_or_else(|_| absolute(&j.input)))
    });
}

pub fn absolute(p: &Path) -> PathBuf {
    std::path::absolute(p).unwrap_or_else(|_| p.to_path_buf())
}

/// The deepest folder every file lies in (absolute), if they share one.
fn common_folder<'a>(files: impl Iterator<Item = &'a Path>) -> Option<PathBuf> {
    let mut common: Option<PathBuf> = None;
    for file in files {
        let parent = absolute(file).parent()?.to_path_buf();
        common = Some(match common {
            None => parent,
            Some(c) => c
                .components()
                .zip(parent.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    common
}

/// The files a pattern matches, sorted, and its base: the leading folders without wildcards.
fn glob_files(pattern: &Path) -> Result<(Vec<PathBuf>, PathBuf), String> {
    let text = pattern.to_string_lossy();
    // Hidden files and folders only when the pattern names them, as a directory walk does.
    let options = glob::MatchOptions {
        require_literal_leading_dot: true,
        ..Default::default()
    };
    let paths =
        glob::glob_with(&text, options).map_err(|e| format!("bad pattern `{text}`: {e}"))?;
    let mut files: Vec<PathBuf> = paths.flatten().filter(|p| p.is_file()).collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("the pattern `{text}` matches no file"));
    }
    let base: PathBuf = pattern
        .components()
        .take_while(|c| !c.as_os_str().to_string_lossy().contains(['*', '?', '[']))
        .collect();
    Ok((files, base))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_by_name_mirror_below_their_common_folder() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a/b")).unwrap();
        let one = dir.path().join("a/one.yaml");
        let two = dir.path().join("a/b/two.yaml");
        let found = expand(&[one.clone(), two.clone()]).unwrap();
        let rels: Vec<_> = found.jobs.iter().map(|j| j.rel.clone()).collect();
        assert_eq!(
            rels,
            [PathBuf::from("one.yaml"), PathBuf::from("b/two.yaml")]
        );
        let found = expand(&[two.clone(), two]).unwrap();
        assert_eq!(found.jobs.len(), 1);
    }
}
