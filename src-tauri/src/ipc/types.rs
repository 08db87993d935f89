//! The exportable types a contract reaches, keyed by the file ts-rs writes each to.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use ts_rs::{Config, ExportError, TypeVisitor, TS};

struct Exportable {
    ident: fn(&Config) -> String,
    export_all: fn(&Config) -> Result<(), ExportError>,
    visit_dependencies: fn(&mut Closure),
}

/// Types with a binding file of their own (wrappers such as `Vec` or `Option` and primitives
/// have none: their type parameters are visited instead).
#[derive(Default)]
pub struct TypeSet {
    by_path: BTreeMap<PathBuf, Exportable>,
}

impl TypeSet {
    /// Adds `T` if it has a binding file, and every type it is generic over.
    pub fn add<T: TS + 'static + ?Sized>(&mut self) {
        self.visit::<T>();
        T::visit_generics(self);
    }

    /// `(TypeScript name, output path relative to ts-rs's base folder)`, sorted by path.
    pub fn idents(&self, cfg: &Config) -> Vec<(String, &Path)> {
        self.by_path
            .iter()
            .map(|(path, t)| ((t.ident)(cfg), path.as_path()))
            .collect()
    }

    /// Every file [`Self::export_all`] writes: these types and, recursively, their dependencies.
    pub fn files(&self) -> BTreeSet<PathBuf> {
        let mut closure = Closure::default();
        for path in self.by_path.keys() {
            closure.0.insert(path.clone());
        }
        for t in self.by_path.values() {
            (t.visit_dependencies)(&mut closure);
        }
        closure.0
    }

    /// Writes each type's file and the files of everything it depends on.
    pub fn export_all(&self, cfg: &Config) -> Result<(), ExportError> {
        self.by_path.values().try_for_each(|t| (t.export_all)(cfg))
    }
}

impl TypeVisitor for TypeSet {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if let Some(path) = T::output_path() {
            self.by_path.entry(path).or_insert(Exportable {
                ident: T::ident,
                export_all: T::export_all,
                visit_dependencies: |closure| T::visit_dependencies(closure),
            });
        }
    }
}

/// Follows dependencies the way ts-rs's `export_all` does: through types with a file only.
#[derive(Default)]
struct Closure(BTreeSet<PathBuf>);

impl TypeVisitor for Closure {
    fn visit<T: TS + 'static + ?Sized>(&mut self) {
        if let Some(path) = T::output_path() {
            if self.0.insert(path) {
                T::visit_dependencies(self);
            }
        }
    }
}
