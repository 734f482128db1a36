/// When a migration may run in an expand/contract rollout: `-- strata:phase=expand|contract`.
///
/// Expand migrations add what the new application version needs while the old one keeps
/// working (new columns, triggers that keep old and new in sync, backfills); contract
/// migrations remove what only the old version used, once it is gone. `strata migrate` applies
/// expand migrations and stops before the first contract one; `strata migrate --contract`
/// applies the contract ones too, after the new version is deployed.
public enum MigrationPhase: String, Sendable, Hashable {
    /// The default: safe while the old application version still runs.
    case expand
    /// Only once no running application version needs what it removes.
    case contract
}

extension Migration {
    /// The phase its header declares (`-- strata:phase=contract`); expand when it declares none.
    /// Noted when its SQL was read, so that planning reads no file.
    public var phase: MigrationPhase {
        directives.phase ?? .expand
    }
}
