/// A program that imports StrataKit gets the engine's types (Migrator, CodeMigration, Plan…) with it.
@_exported import Strata
