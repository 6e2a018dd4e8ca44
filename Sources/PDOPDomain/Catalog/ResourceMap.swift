/// The resource map (资源图谱, R3): providers → resources → domains as a graph. Scenarios and
/// products join it when their issues land; the node kinds are open for that.
public struct ResourceMap: Sendable, Equatable {
    public enum Kind: String, Sendable, Codable { case provider, resource, domain }

    public struct Node: Sendable, Equatable {
        public var id: String
        public var kind: Kind
        public var label: String
    }

    public struct Edge: Sendable, Equatable {
        public var from: String
        public var to: String
    }

    public var nodes: [Node]
    public var edges: [Edge]

    /// Builds the graph of the given resources; `providerNames` labels the providers.
    public init(resources: [DataResource], providerNames: [OrganizationID: String]) {
        var nodes: [Node] = []
        var edges: [Edge] = []
        var seen: Set<String> = []
        func add(_ node: Node) {
            if seen.insert(node.id).inserted { nodes.append(node) }
        }
        for resource in resources.sorted(by: { ($0.providerID.rawValue, $0.name) < ($1.providerID.rawValue, $1.name) }) {
            let provider = "provider:\(resource.providerID.rawValue)"
            let item = "resource:\(resource.id.rawValue)"
            let domain = "domain:\(resource.domain)"
            add(Node(id: provider, kind: .provider, label: providerNames[resource.providerID] ?? resource.providerID.rawValue))
            add(Node(id: item, kind: .resource, label: resource.name))
            add(Node(id: domain, kind: .domain, label: DomainArea.named(resource.domain)?.nameZh ?? resource.domain))
            edges.append(Edge(from: provider, to: item))
            edges.append(Edge(from: item, to: domain))
        }
        self.nodes = nodes
        self.edges = edges
    }
}
