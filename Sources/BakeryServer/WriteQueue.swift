import BakeryCore
import Synchronization

/// What the endpoints hand to the writer.
public enum PendingWrite: Sendable {
    case sync(SyncHit)
    case graph(GraphEdge)
}

/// A bounded queue between the request handlers and the single writer. Handlers never wait on a disk commit:
/// `offer` either takes the write or says the queue is full (the endpoint answers 503).
public final class WriteQueue: Sendable {
    private let state: Mutex<[PendingWrite]>
    public let capacity: Int

    public init(capacity: Int) {
        self.capacity = capacity
        state = Mutex([])
    }

    /// Takes `write` unless the queue is full.
    public func offer(_ write: PendingWrite) -> Bool {
        state.withLock { queue in
            guard queue.count < capacity else { return false }
            queue.append(write)
            return true
        }
    }

    /// Takes all of `writes` or none of them.
    public func offer(_ writes: [PendingWrite]) -> Bool {
        state.withLock { queue in
            guard queue.count + writes.count <= capacity else { return false }
            queue.append(contentsOf: writes)
            return true
        }
    }

    /// Removes and returns up to `limit` writes, oldest first.
    func take(upTo limit: Int) -> [PendingWrite] {
        state.withLock { queue in
            guard queue.count > limit else {
                // All of it (the usual case): hand the storage over instead of copying it.
                defer { queue = [] }
                return queue
            }
            let batch = Array(queue.prefix(limit))
            queue.removeFirst(limit)
            return batch
        }
    }

    /// Puts a batch that could not be written back at the front, so nothing answered is lost.
    func putBack(_ writes: [PendingWrite]) {
        state.withLock { queue in queue.insert(contentsOf: writes, at: 0) }
    }

    public var depth: Int { state.withLock { $0.count } }
}
