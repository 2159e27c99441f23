#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One walk shared by the threads that read its files, and the merge of their results in walk
/// order (see ``ParallelFileAnalyzer/analyze(paths:into:errors:)``).
///
/// A thread takes the next few items of the walk (listing the next directory when the walk
/// needs it), reads them without a lock, and hands the results back; whichever thread hands
/// back the oldest results still missing merges every result that is then ready, in order, so
/// the merged summary is the one a single thread makes. A thread that would run more than
/// ``window`` items ahead of the merge waits, which bounds the results held at once.
final class WalkPipeline<Result>: @unchecked Sendable {
    /// A taken stretch of items: the walk position of the first, and the items.
    typealias Stretch = (first: Int, items: [InputWalker.Item])

    private let walk: InputWalker.Walk
    private let window: Int
    private let merge: (Result) -> Void
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let moved = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    /// The walk position of the next item to take.
    private var taken = 0
    private var walkEnded = false
    /// The walk position of the next result to merge.
    private var merged = 0
    private var ready: [Int: Result] = [:]
    private var merging = false

    /// - Parameter merge: called with each result in walk order, by one thread at a time.
    init(_ walk: InputWalker.Walk, window: Int, merge: @escaping (Result) -> Void) {
        self.walk = walk
        self.window = max(1, window)
        self.merge = merge
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(moved, nil)
    }

    deinit {
        pthread_cond_destroy(moved)
        pthread_mutex_destroy(mutex)
        moved.deallocate()
        mutex.deallocate()
    }

    /// The next items of the walk, at most `count`; `nil` when the walk is over.
    func take(upTo count: Int) -> Stretch? {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        while !walkEnded && taken - merged >= window { pthread_cond_wait(moved, mutex) }
        var items: [InputWalker.Item] = []
        while !walkEnded && items.count < count && taken + items.count - merged < window {
            guard let item = walk.next() else {
                walkEnded = true
                break
            }
            items.append(item)
        }
        if items.isEmpty { return nil }
        defer { taken += items.count }
        return (taken, items)
    }

    /// Hands back the results of a stretch (one per item, in order), and merges what is ready.
    func deliver(_ first: Int, _ results: [Result]) {
        pthread_mutex_lock(mutex)
        for (i, result) in results.enumerated() { ready[first + i] = result }
        guard !merging else {
            pthread_mutex_unlock(mutex)
            return
        }
        merging = true
        while let next = ready.removeValue(forKey: merged) {
            var batch = [next]
            var position = merged + 1
            while let more = ready.removeValue(forKey: position) {
                batch.append(more)
                position += 1
            }
            pthread_mutex_unlock(mutex)
            for result in batch { merge(result) }
            pthread_mutex_lock(mutex)
            merged = position
            pthread_cond_broadcast(moved)
        }
        merging = false
        pthread_mutex_unlock(mutex)
    }
}

/// Runs `body` on `count` threads (the calling thread and `count - 1` new ones) and returns when
/// all have returned. Plain threads, not Dispatch's pool: a body may itself use
/// `DispatchQueue.concurrentPerform` (a large file split into ranges) at full width.
enum WorkerThreads {
    static func run(_ count: Int, _ body: @escaping @Sendable () -> Void) {
        var threads: [pthread_t] = []
        for _ in 1..<max(1, count) {
            let context = Unmanaged.passRetained(Body(body)).toOpaque()
            var thread = pthread_t()
            if pthread_create(&thread, nil, { context in
                Unmanaged<Body>.fromOpaque(context!).takeRetainedValue().run()
                return nil
            }, context) == 0 {
                threads.append(thread)
            } else {
                // No thread: fewer workers (the calling thread still does all the work).
                Unmanaged<Body>.fromOpaque(context).release()
            }
        }
        body()
        for thread in threads { pthread_join(thread, nil) }
    }

    private final class Body: @unchecked Sendable {
        let run: @Sendable () -> Void
        init(_ run: @escaping @Sendable () -> Void) { self.run = run }
    }
}
