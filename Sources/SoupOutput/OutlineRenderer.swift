/// One line of a tree drawn by ``OutlineRenderer``: a query plan's step, say.
public struct OutlineNode: Sendable, Equatable {
    public var text: String
    /// Lines under it, indented, each after a `!` (warnings and advice).
    public var notes: [String]
    /// Marked with `◀ costliest` (the step that costs most).
    public var isMarked: Bool
    public var children: [OutlineNode]

    public init(text: String, notes: [String] = [], isMarked: Bool = false, children: [OutlineNode] = []) {
        self.text = text
        self.notes = notes
        self.isMarked = isMarked
        self.children = children
    }
}

/// Draws a tree with box-drawing branches, as `tree(1)` does:
///
/// ```
/// Hash Join  rows≈100  cost 10.50
/// ├── Seq Scan on track  rows≈3,503  cost 80.03  ◀ costliest
/// │     ! full scan of track: every row is read
/// └── Hash
///     └── Seq Scan on album
/// ```
public enum OutlineRenderer {
    /// The tree under `title`, then `footer` lines; every line ends with a newline.
    public static func render(_ roots: [OutlineNode], title: String, footer: [String] = []) -> String {
        var out = title + "\n"
        for root in roots { draw(root, lead: "", branch: "", into: &out) }
        for line in footer { out += line + "\n" }
        return out
    }

    private static func draw(_ node: OutlineNode, lead: String, branch: String, into out: inout String) {
        out += lead + branch + node.text + (node.isMarked ? "  ◀ costliest" : "") + "\n"
        let below = lead + (branch.isEmpty ? "" : branch == "└── " ? "    " : "│   ")
        let noteLead = below + (node.children.isEmpty ? "  " : "│ ")
        for note in node.notes { out += noteLead + "! " + note + "\n" }
        for (index, child) in node.children.enumerated() {
            draw(child, lead: below, branch: index == node.children.count - 1 ? "└── " : "├── ", into: &out)
        }
    }
}
