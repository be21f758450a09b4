import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Free TCP ports on 127.0.0.1, for the servers CultureLens starts itself (the managed llama.cpp server, and the
/// throwaway PostgreSQL of the tests).
package enum LoopbackPort {
    /// Why no port could be found.
    package struct Failure: Error, CustomStringConvertible {
        /// What failed, with `errno`.
        package var description: String
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago, found by binding port 0. Another process may take it
    /// before the caller binds it; callers retry their start-up with a new port when that happens.
    package static func free() throws(Failure) -> Int {
        let socketFD = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard socketFD >= 0 else { throw Failure(description: "cannot open a socket to find a free port (errno \(errno))") }
        defer { close(socketFD) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketFD, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw Failure(description: "cannot bind a loopback port (errno \(errno))") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketFD, $0, &length) }
        }
        guard named == 0 else { throw Failure(description: "cannot read the bound loopback port (errno \(errno))") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
