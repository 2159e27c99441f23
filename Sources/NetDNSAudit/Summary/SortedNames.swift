/// Sorted lists of distinct names (files of an instance, files skipped as binary), merged in
/// linear time: a union by `Set` and a sort on every merge made a many-file run quadratic
/// (the files of one service merged one instance at a time: 8,000 files took minutes).
enum SortedNames {
    /// The sorted union of `a` and `b`, each sorted and distinct (lists that are not, from a
    /// saved report written by hand, are put in order first).
    static func union(_ a: [String], _ b: [String]) -> [String] {
        if b.isEmpty { return normalised(a) }
        if a.isEmpty { return normalised(b) }
        let a = normalised(a), b = normalised(b)
        if b.count == 1 { return inserting(b[0], into: a) }
        if a.count == 1 { return inserting(a[0], into: b) }
        var out: [String] = []
        out.reserveCapacity(a.count + b.count)
        var i = 0, j = 0
        while i < a.count && j < b.count {
            if a[i] < b[j] { out.append(a[i]); i += 1 }
            else if b[j] < a[i] { out.append(b[j]); j += 1 }
            else { out.append(a[i]); i += 1; j += 1 }
        }
        out.append(contentsOf: a[i...])
        out.append(contentsOf: b[j...])
        return out
    }

    /// The sorted union of every list, as joining them one at a time from the first would give
    /// (on equal names the earlier list's is kept), in pairs: O(n log n), not O(n²).
    static func union(all lists: [[String]]) -> [String] {
        var level = lists
        while level.count > 1 {
            var next: [[String]] = []
            next.reserveCapacity((level.count + 1) / 2)
            var i = 0
            while i < level.count {
                next.append(i + 1 < level.count ? union(level[i], level[i + 1]) : level[i])
                i += 2
            }
            level = next
        }
        return level.first.map(normalised) ?? []
    }

    /// `list` with `name` in its place (binary search), unless it is there already.
    static func inserting(_ name: String, into list: [String]) -> [String] {
        var low = 0, high = list.count
        while low < high {
            let mid = (low + high) / 2
            if list[mid] < name { low = mid + 1 } else { high = mid }
        }
        if low < list.count && list[low] == name { return list }
        var out = list
        out.insert(name, at: low)
        return out
    }

    static func normalised(_ list: [String]) -> [String] {
        var ordered = true
        var i = 1
        while i < list.count {
            if !(list[i - 1] < list[i]) { ordered = false; break }
            i += 1
        }
        return ordered ? list : Array(Set(list)).sorted()
    }
}
