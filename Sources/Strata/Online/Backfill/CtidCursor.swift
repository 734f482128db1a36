/// Where a `ctid` backfill stands. Without a primary key the batches walk the table's blocks,
/// up to its last block when the walk began, which two kinds of moving rows upset:
///
/// - An `UPDATE` that finds no room on a row's page writes the new version elsewhere, often
///   ahead in the walk (the last page's free space, pages a vacuum freed). The cursor keeps the
///   transaction ids of the batches that wrote versions ahead, with the blocks they wrote in, and
///   the batches that walk there skip the versions those transactions wrote (`xmin`) instead of
///   changing those rows a second time. One entry per batch, not per row: a bloated table whose
///   free space lies ahead can take most of a batch's rows.
/// - The application's own updates can move a row the walk has not reached behind it, where the
///   walk misses it. When the statement's `WHERE` tells the rows still to change from the rest
///   (the rows a batch changed stop matching it; a `DELETE`'s always do), the walk is followed by
///   sweeps over the whole table that change what still matches, until one changes nothing (at
///   most ``sweepLimit``).
///
/// Saved as the backfill's position: the next block, the end block, the walk (`walk/changed`, with
/// `!` when no sweep may follow), then one `xid:first-last` per batch that wrote ahead.
package struct CtidCursor: Sendable, Equatable {
    /// The row versions one transaction of the backfill wrote ahead of the walk.
    package struct WrittenAhead: Sendable, Equatable {
        /// The transaction's id, the versions' `xmin`.
        package let xid: String
        /// The first and last blocks it wrote in.
        package let blocks: ClosedRange<Int>

        package init(xid: String, blocks: ClosedRange<Int>) {
            (self.xid, self.blocks) = (xid, blocks)
        }

        /// Reads `xid:first-last`; nil for anything else.
        package init?(_ text: some StringProtocol) {
            let parts = text.split(separator: ":")
            let range = parts.count == 2 ? parts[1].split(separator: "-") : []
            guard parts.count == 2, UInt32(parts[0]) != nil, range.count == 2,
                  let first = Int(range[0]), let last = Int(range[1]), first <= last else { return nil }
            (xid, blocks) = (String(parts[0]), first...last)
        }

        var text: String { "\(xid):\(blocks.lowerBound)-\(blocks.upperBound)" }
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
    /// The batches that wrote versions in blocks from `block` on, in the order they ran.
    package let ahead: [WrittenAhead]

    package init(block: Int, endBlock: Int, walk: Int = 0, changed: Int = 0, sweeps: Bool, ahead: [WrittenAhead] = []) {
        (self.block, self.endBlock, self.walk, self.changed, self.sweeps, self.ahead) = (block, endBlock, walk, changed, sweeps, ahead)
    }

    /// A saved position that does not read as one. Only Strata writes positions, so the state
    /// table was edited or damaged; guessing would walk blocks again or skip rows.
    package struct UnreadablePosition: Error, Equatable {
        package let position: [String]
    }

    /// The cursor a saved position holds, or a first walk from block 0 to `endBlock` (nil
    /// position). A position saved by an earlier Strata holds the block alone: it walks to
    /// `endBlock` and sweeps nothing.
    package init(position: [String]?, endBlock: Int, sweeps: Bool) throws(UnreadablePosition) {
        guard let position else {
            self.init(block: 0, endBlock: endBlock, sweeps: sweeps)
            return
        }
        let unreadable = UnreadablePosition(position: position)
        guard let block = position.first.flatMap({ Int($0) }), block >= 0 else { throw unreadable }
        guard position.count > 1 else {
            self.init(block: block, endBlock: endBlock, sweeps: false)
            return
        }
        let walk = position.count > 2 ? position[2].split(separator: "/", omittingEmptySubsequences: false) : ["0", "0!"]
        let ahead = position.dropFirst(3).map { WrittenAhead($0) }
        guard let end = Int(position[1]), walk.count == 2, let number = Int(walk[0]),
              let changed = Int(walk[1].hasSuffix("!") ? walk[1].dropLast() : walk[1]),
              !ahead.contains(nil) else { throw unreadable }
        self.init(block: block, endBlock: end, walk: number, changed: changed, sweeps: !walk[1].hasSuffix("!"),
                  ahead: ahead.compactMap { $0 })
    }

    /// What the state table saves.
    package var position: [String] {
        [String(block), String(endBlock), "\(walk)/\(changed)\(sweeps ? "" : "!")"] + ahead.map(\.text)
    }

    /// The transactions whose versions a batch over the blocks from `block` up to `end` skips.
    package func skipped(before end: Int) -> [String] {
        ahead.filter { $0.blocks.lowerBound < end }.map(\.xid)
    }

    /// The cursor after a batch that walked up to `end`, changed `changed` rows of which
    /// `stillMatching` still match the statement's `WHERE`, and wrote versions ahead of `end`
    /// (`written`, the statement's report: `xid:first-last` separated by spaces). Transactions
    /// whose versions all lie behind `end` are walked past and forgotten.
    package func advanced(to end: Int, changed: Int, stillMatching: Int, written: String) -> CtidCursor {
        let new = written.split(separator: " ").compactMap { WrittenAhead($0) }
        return CtidCursor(block: end, endBlock: endBlock, walk: walk, changed: self.changed + changed, sweeps: sweeps && stillMatching == 0,
                          ahead: (ahead + new).filter { $0.blocks.upperBound >= end && $0.blocks.lowerBound < endBlock })
    }

    /// What a run has to say about rows a walk cannot vouch for.
    package enum Caveat: Sendable, Equatable {
        /// The statement cannot tell the rows it changed from the rest, so no sweep can find
        /// the rows the application moves behind the walk (or ahead of it, to be changed twice).
        case cannotSweep
        /// The last sweep allowed still changed `changed` rows: the application may have moved
        /// more behind it meanwhile, and none follows to find them.
        case mayHaveMissedRows(sweeps: Int, changed: Int)
    }

    /// The caveat this cursor brings: compared with the cursor `before` the batch that led to it,
    /// or, for the cursor a run starts from (`before` nil), on its own. Nil when there is none new.
    package func caveat(since before: CtidCursor?) -> Caveat? {
        if !sweeps && before?.sweeps ?? true { return .cannotSweep }
        if block >= endBlock && walk == Self.sweepLimit && changed > 0 { return .mayHaveMissedRows(sweeps: walk, changed: changed) }
        return nil
    }

    /// At the end of a walk, the sweep that follows it over the table's `tableEnd` blocks now, or
    /// nil when none does: the statement cannot tell done rows apart, the walk changed nothing
    /// (none were left), or ``sweepLimit`` sweeps ran. The rows this backfill changed no longer
    /// match, so the sweep need not skip any version.
    package func sweep(tableEnd: Int) -> CtidCursor? {
        guard block >= endBlock, sweeps, changed > 0, walk < Self.sweepLimit else { return nil }
        return CtidCursor(block: 0, endBlock: tableEnd, walk: walk + 1, sweeps: true)
    }
}
