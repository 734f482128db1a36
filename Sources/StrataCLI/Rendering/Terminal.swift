#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif

/// Standard output and standard error, written unbuffered by line.
enum Terminal {
    static func print(_ text: String) {
        write(text + "\n", to: 1)
    }

    /// Writes UTF-8 bytes to standard output as they are.
    static func write(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { write($0, to: 1) }
    }

    static func error(_ text: String) {
        write(text + "\n", to: 2)
    }

    /// Whether standard output is a terminal, where progress is redrawn in place.
    static var outputIsTerminal: Bool { isatty(1) == 1 }

    /// Redraws the current line of standard output (a progress bar), without ending it.
    static func redraw(_ text: String) {
        write("\r\u{1B}[K" + text, to: 1)
    }

    /// Ends the process with `status`, after everything written has reached the descriptors.
    static func exit(_ status: Int32) -> Never {
        #if canImport(Glibc)
        Glibc.exit(status)
        #else
        Darwin.exit(status)
        #endif
    }

    private static func write(_ text: String, to descriptor: Int32) {
        var text = text
        text.withUTF8 { write($0, to: descriptor) }
    }

    private static func write(_ buffer: UnsafeBufferPointer<UInt8>, to descriptor: Int32) {
        var offset = 0
        while offset < buffer.count {
            #if canImport(Glibc)
            let written = Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            #else
            let written = Darwin.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            #endif
            guard written > 0 else { return }
            offset += written
        }
    }
}
