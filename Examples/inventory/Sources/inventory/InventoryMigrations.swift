import StrataKit

/// The migrations written in Swift. They are planned, locked, recorded and undone together
/// with the SQL files in `migrations/`.
enum InventoryMigrations {
    static let all = [seedItems, openingMovements]

    /// Seeds the catalogue. Swift, because the rows come from the app's own data.
    static let seedItems = CodeMigration.versioned("2", "seed items", checksum: 1) { db in
        for (sku, name, stock) in starterItems {
            try db.execute(
                "INSERT INTO items (sku, name, stock) VALUES (\(db.dialect.parameter(1)), \(db.dialect.parameter(2)), \(db.dialect.parameter(3)))",
                .text(sku), .text(name), .integer(stock))
        }
    } down: { db in
        try db.execute("DELETE FROM items")
    }

    /// Records the opening stock of every item as its first movement: reads rows and writes
    /// others, which plain SQL files could do too, but here the app's rules decide.
    static let openingMovements = CodeMigration.versioned("4", "record opening movements", checksum: 1) { db in
        for row in try db.query("SELECT sku, stock FROM items WHERE stock > 0 ORDER BY sku") {
            try db.execute(
                "INSERT INTO movements (sku, quantity) VALUES (\(db.dialect.parameter(1)), \(db.dialect.parameter(2)))",
                row[0], row[1])
        }
    } down: { db in
        try db.execute("DELETE FROM movements")
    }

    static let starterItems: [(String, String, Int64)] = [
        ("BK-001", "A Wizard of Earthsea", 12),
        ("BK-002", "Small Gods", 7),
        ("PN-010", "Fountain pen", 0),
    ]
}
