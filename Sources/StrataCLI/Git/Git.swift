import Strata

/// The git commands `strata rebase` needs, run in the working directory.
enum Git {
    /// `origin/main` when the repository has it, else `main`: the branch migrations are renumbered onto.
    static func defaultMainRef() throws -> String {
        guard let ref = try ["origin/main", "main"].first(where: commitExists) else {
            throw ConfigurationError("Neither origin/main nor main is a git ref here; run `strata rebase` inside the repository, or name the main branch with --onto REF or its versions with --onto-versions.")
        }
        return ref
    }

    static func commitExists(_ ref: String) throws -> Bool {
        try Subprocess.run("git", ["rev-parse", "--verify", "--quiet", ref + "^{commit}"]).status == 0
    }

    /// The paths of the files below `folder` in the commit `ref`.
    static func files(at ref: String, below folder: String) throws -> [String] {
        guard try commitExists(ref) else {
            throw ConfigurationError("--onto \(ref) is not a commit git knows here; fetch it, or name the main branch's ref (e.g. origin/main).")
        }
        let listed = try Subprocess.run("git", ["ls-tree", "-r", "--name-only", ref, "--", folder])
        guard listed.status == 0 else {
            throw ConfigurationError("git ls-tree \(ref) -- \(folder) failed: \(message(listed))")
        }
        return listed.stdout.split(separator: "\n").map(String.init)
    }

    /// Whether git tracks the file, so that a rename goes through `git mv` and stays staged.
    static func tracks(_ path: String) throws -> Bool {
        try Subprocess.run("git", ["ls-files", "--error-unmatch", "--", path]).status == 0
    }

    /// Runs a git command that changes the index, failing with its message.
    static func change(_ arguments: [String]) throws {
        let result = try Subprocess.run("git", arguments)
        guard result.status == 0 else {
            throw ConfigurationError("git \(arguments.joined(separator: " ")) failed: \(message(result))")
        }
    }

    /// What git said on failure, on one line.
    private static func message(_ result: Subprocess.Result) -> String {
        result.stderr.split(whereSeparator: \.isNewline).joined(separator: " ")
    }
}
