import Foundation
import StrataCLI
import StrataKit

// `inventory serve [--url URL]`: migrates at start-up, then does the app's work.
// `inventory migrations <command> …`: Strata's command line, with the Swift migrations.
let arguments = Array(CommandLine.arguments.dropFirst())

if arguments.first == "migrations" {
    StrataCommand.main(arguments: Array(arguments.dropFirst()), codeMigrations: InventoryMigrations.all)
}

guard arguments.first == "serve" else {
    print("usage: inventory serve [--url URL] | inventory migrations <strata command> …")
    exit(2)
}

let url = arguments.firstIndex(of: "--url").map { arguments[$0 + 1] } ?? "sqlite:inventory.db"
let configuration = StrataConfiguration(url: url, locations: ["migrations"], codeMigrations: InventoryMigrations.all)
do {
    // Blocking database work runs on a thread of its own, off the caller's executor.
    let report = try await configuration.migrate()
    print("Migrated \(report.applied.count) migration(s); schema version \(report.currentVersion?.text ?? "none").")
    let plan = try await configuration.info()
    print("\(plan.infos.filter { $0.state == .success }.count) migrations applied, \(plan.steps.count) pending.")
    let migrator = try configuration.makeMigrator(create: false)
    for row in try migrator.database.query("SELECT i.sku, i.stock, coalesce(sum(m.quantity), 0) FROM items i LEFT JOIN movements m ON m.sku = i.sku GROUP BY i.sku, i.stock ORDER BY i.sku", []) {
        print("\(row[0].string ?? "?")  stock \(row[1].string ?? "?")  moved \(row[2].string ?? "?")")
    }
} catch {
    print("inventory could not start: \(error)")
    exit(1)
}
