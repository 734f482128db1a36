/// Where a `ctid` backfill stands. Without a primary key the batches walk the table's blocks,
/// up to its last block when the walk began, which two kinds of moving rows upset:
///
/// - An `UPDATE` that finds no room on a row's page writes the new version elsewhere, often
///   ahead in the walk (the last page's free space, pages a vacuum freed). The cursor keeps the
///   versions the backfill's own batches wrote ahead, named by `ctid` and the writing
///   transaction's id (`xmin`, so that a slot the application reuses is not mistaken for one),
///   and the batch that walks there skips them instead of changing those rows a second time.
/// - The application's own updates can move a row the walk has not reached behind it, where the
///   walk misses it. When the statement's `WHERE` tells the rows still to change from the rest
///   (the rows a batch changed stop matching it; a `DELETE`'s always do), the walk is followed by
///   sweeps over the whole table that change what still matches, until one changes nothing (at
///   most ``sweepLimit``).
///
/// Saved as the backfill's position: the next block, the end block, the walk (`walk/changed`, with
/// `!` when no sweep may follow), then one `(block,offset)@xid` per moved version.
package struct CtidCursor: Sendable, Equatable {
    /// A row version one of the backfill's batches wrote ahead of the walk.
    package struct MovedVersion: Sendable, Equatable {
        /// Its `ctid` as PostgreSQL prints it, `(block,offset)`.
        package let tid: String
        /// The `xmin` of the batch that wrote it.
        package let xid: String
        /// The block of `tid`.
        package let block: Int

        /// Reads `(block,offset)@xid`; nil for anything else.
        package init?(_ text: some StringProtocol) {
            let parts = text.split(separator: "@")
            guard parts.count == 2, parts[0].hasPrefix("("), let comma = parts[0].firstIndex(of: ","),
                  let block = Int(parts[0].dropFirst().prefix(upTo: comma)), UInt32(parts[1]) != nil else { return nil }
            (tid, xid, self.block) = (String(parts[0]), String(parts[1]), block)
        }

        var text: String { tid + "@" + xid }
    }

    /// Sweeps after the first walk at most: each reads the whole table.
    package static let sweepLimit = 3

    /// The first block the next batch walks.
    package let block: Int
    /// The block the walk stops before: the table's end when the walk began, kept so that a
    /// resumed run does not walk the blocks the first run's moved rows extended the table by.
    package let endBlock: Int
    /// Which walk this is: 0 the first, then each sweep.
    package let walk: Int
    /// Rows this walk changed so far.
    package let changed: Int
    /// Whether a sweep may follow this walk: false when the statement cannot tell the rows it
    /// changed from the rest.
    package let sweeps: Bool
    /// Versions the backfill wrote in blocks from `block` on, in the order they were written.
    package let moved: [MovedVersion]

    package init(block: Int, endBlock: Int, walk: Int = 0, changed: Int = 0, sweeps: Bool, moved: [MovedVersion] = []) {
        (self.block, self.endBlock, self.walk, self.changed, self.sweeps, self.moved) = (block, endBlock, walk, changed, sweeps, moved)
    }

    /// The cursor a saved position holds, or a first walk from block 0 to `endBlock` (nil
    /// position). A position saved by an earlier Strata holds the block alone: it walks to
    /// `endBlock` and sweeps nothing.
    package init(position: [String]?, endBlock: Int, sweeps: Bool) {
        guard let position else {
            self.init(block: 0, endBlock: endBlock, sweeps: sweeps)
            return
        }
        let walk = position.count > 2 ? position[2].split(separator: "/") : []
        self.init(block: position.first.flatMap { Int($0) } ?? 0,
                  endBlock: position.count > 1 ? Int(position[1]) ?? endBlock : endBlock,
                  walk: walk.first.flatMap { Int($0) } ?? 0,
                  changed: walk.count > 1 ? Int(walk[1].prefix { $0 != "!" }) ?? 0 : 0,
                  sweeps: walk.count > 1 && !walk[1].hasSuffix("!"),
                  moved: position.dropFirst(3).compactMap { MovedVersion($0) })
    }

    /// What the state table saves.
    package var position: [String] {
        [String(block), String(endBlock), "\(walk)/\(changed)\(sweeps ? "" : "!")"] + moved.map(\.text)
    }

    /// The moved versions a batch over the blocks from `block` up to `end` must skip.
    package func movedVersions(before end: Int) -> [MovedVersion] {
        moved.filter { $0.block < end }
    }

    /// The cursor after a batch that walked up to `end`, changed `changed` rows of which
    /// `stillMatching` still match the statement's `WHERE`, and wrote `written` ahead of `end`
    /// (the statement's report, `(block,offset)@xid` separated by spaces). Versions behind `end`
    /// are walked past and forgotten.
    package func advanced(to end: Int, changed: Int, stillMatching: Int, written: String) -> CtidCursor {
        let new = written.split(separator: " ").compactMap { MovedVersion($0) }
        return CtidCursor(block: end, endBlock: endBlock, walk: walk, changed: self.changed + changed, sweeps: sweeps && stillMatching == 0,
                          moved: (moved + new).filter { $0.block >= end && $0.block < endBlock })
    }

    /// At the end of a walk, the sweep that follows it over the table's `tableEnd` blocks now, or
    /// nil when none does: the statement cannot tell done rows apart, the walk changed nothing
    /// (none were left), or ``sweepLimit`` sweeps ran. The rows this backfill changed no longer
    /// match, so the sweep skips no version.
    package func sweep(tableEnd: Int) -> CtidCursor? {
        guard block >= endBlock, sweeps, changed > 0, walk < Self.sweepLimit else { return nil }
        return CtidCursor(block: 0, endBlock: tableEnd, walk: walk + 1, sweeps: true)
    }
}
