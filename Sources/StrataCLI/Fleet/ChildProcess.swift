import Strata
#if canImport(Glibc)
import Glibc
#endif

/// A child process with its standard output and error captured, started with `posix_spawn`
/// so the command line needs no Foundation for it.
final class ChildProcess {
    let pid: pid_t
    private(set) var output: [UInt8] = []
    private(set) var errors: [UInt8] = []
    private var outputPipe: Int32
    private var errorPipe: Int32

    /// - Parameter environment: variables set (or replaced) on top of this process's own.
    init(executable: String, arguments: [String], environment: [String: String]) throws(ConfigurationError) {
        var outputFDs: [Int32] = [0, 0], errorFDs: [Int32] = [0, 0]
        guard pipe(&outputFDs) == 0, pipe(&errorFDs) == 0 else {
            throw ConfigurationError("cannot create a pipe for a fleet target: \(String(cString: strerror(errno)))")
        }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, outputFDs[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errorFDs[1], 2)
        for descriptor in outputFDs + errorFDs { posix_spawn_file_actions_addclose(&actions, descriptor) }

        var variables: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") { variables[String(text[..<equals])] = String(text[text.index(after: equals)...]) }
            entry += 1
        }
        variables.merge(environment) { $1 }
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = variables.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child = pid_t()
        let status = posix_spawn(&child, executable, &actions, nil, argv, envp)
        close(outputFDs[1])
        close(errorFDs[1])
        guard status == 0 else {
            close(outputFDs[0])
            close(errorFDs[0])
            throw ConfigurationError("cannot start \(executable) for a fleet target: \(String(cString: strerror(status)))")
        }
        pid = child
        outputPipe = outputFDs[0]
        errorPipe = errorFDs[0]
    }

    /// The pipes still open, for `poll`.
    var openDescriptors: [Int32] { [outputPipe, errorPipe].filter { $0 >= 0 } }

    /// Reads what `descriptor` has; closes it at its end.
    func read(_ descriptor: Int32) {
        var buffer = [UInt8](repeating: 0, count: 65_536)
        let count = Glibc.read(descriptor, &buffer, buffer.count)
        if count > 0 {
            if descriptor == outputPipe { output += buffer.prefix(count) } else { errors += buffer.prefix(count) }
            return
        }
        close(descriptor)
        if descriptor == outputPipe { outputPipe = -1 } else { errorPipe = -1 }
    }

    /// Waits for the process once its pipes are closed; returns its exit status.
    func wait() -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
