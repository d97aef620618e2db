//! A small arena DOM that html5ever's tree builder fills in. It records the source line
//! of every element, so the sanitiser can point warnings at the user's file.

use std::borrow::Cow;
use std::cell::{Cell, RefCell};

use html5ever::interface::{ElemName, ElementFlags, NodeOrText, QuirksMode, TreeSink};
use html5ever::tendril::StrTendril;
use html5ever::{Attribute, LocalName, Namespace, QualName};

pub type NodeId = usize;

#[derive(Debug)]
pub enum NodeKind {
    Root,
    Element {
        name: QualName,
        attrs: Vec<Attribute>,
        /// 1-based line inside the parsed fragment.
        line: u64,
    },
    Text(String),
    /// Comments, processing instructions, doctypes: never serialised.
    Other,
}

#[derive(Debug)]
pub struct Node {
    pub kind: NodeKind,
    pub parent: Option<NodeId>,
    pub children: Vec<NodeId>,
}

/// The parsed fragment: node 0 is the document, its `html` child holds the content.
#[derive(Debug, Default)]
pub struct Dom {
    nodes: RefCell<Vec<Node>>,
    line: Cell<u64>,
}

impl Dom {
    pub fn new() -> Self {
        let dom = Self::default();
        dom.push(NodeKind::Root);
        dom
    }

    fn push(&self, kind: NodeKind) -> NodeId {
        let mut nodes = self.nodes.borrow_mut();
        nodes.push(Node {
            kind,
            parent: None,
            children: Vec::new(),
        });
        nodes.len() - 1
    }

    pub fn into_nodes(self) -> Vec<Node> {
        self.nodes.into_inner()
    }

    fn detach(&self, id: NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        if let Some(parent) = nodes[id].parent.take() {
            nodes[parent].children.retain(|&c| c != id);
        }
    }

    /// Inserts `child` into `parent` at `index` (end when `None`), merging adjacent text.
    fn insert(&self, parent: NodeId, index: Option<usize>, child: NodeOrText<NodeId>) {
        let at = index.unwrap_or_else(|| self.nodes.borrow()[parent].children.len());
        match child {
            NodeOrText::AppendText(text) => {
                let mut nodes = self.nodes.borrow_mut();
                if at > 0 {
                    let prev = nodes[parent].children[at - 1];
                    if let NodeKind::Text(t) = &mut nodes[prev].kind {
                        t.push_str(&text);
                        return;
                    }
                }
                drop(nodes);
                let id = self.push(NodeKind::Text(text.to_string()));
                let mut nodes = self.nodes.borrow_mut();
                nodes[id].parent = Some(parent);
                nodes[parent].children.insert(at, id);
            }
            NodeOrText::AppendNode(id) => {
                self.detach(id);
                let at = index.map_or_else(
                    || self.nodes.borrow()[parent].children.len(),
                    |i| i.min(self.nodes.borrow()[parent].children.len()),
                );
                let mut nodes = self.nodes.borrow_mut();
                nodes[id].parent = Some(parent);
                nodes[parent].children.insert(at, id);
            }
        }
    }
}

#[derive(Debug)]
pub struct OwnedName(QualName);

impl ElemName for OwnedName {
    fn ns(&self) -> &Namespace {
        &self.0.ns
    }
    fn local_name(&self) -> &LocalName {
        &self.0.local
    }
}

impl TreeSink for Dom {
    type Handle = NodeId;
    type Output = Self;
    type ElemName<'a> = OwnedName;

    fn finish(self) -> Self {
        self
    }

    fn parse_error(&self, _msg: Cow<'static, str>) {}

    fn get_document(&self) -> NodeId {
        0
    }

    fn elem_name<'a>(&'a self, target: &'a NodeId) -> OwnedName {
        match &self.nodes.borrow()[*target].kind {
            NodeKind::Element { name, .. } => OwnedName(name.clone()),
            _ => OwnedName(QualName::new(
                None,
                Namespace::from(""),
                LocalName::from(""),
            )),
        }
    }

    fn create_element(&self, name: QualName, attrs: Vec<Attribute>, _: ElementFlags) -> NodeId {
        let line = self.line.get();
        self.push(NodeKind::Element { name, attrs, line })
    }

    fn create_comment(&self, _text: StrTendril) -> NodeId {
        self.push(NodeKind::Other)
    }

    fn create_pi(&self, _target: StrTendril, _data: StrTendril) -> NodeId {
        self.push(NodeKind::Other)
    }

    fn append(&self, parent: &NodeId, child: NodeOrText<NodeId>) {
        self.insert(*parent, None, child);
    }

    fn append_based_on_parent_node(
        &self,
        element: &NodeId,
        prev_element: &NodeId,
        child: NodeOrText<NodeId>,
    ) {
        if self.nodes.borrow()[*element].parent.is_some() {
            self.append_before_sibling(element, child);
        } else {
            self.append(prev_element, child);
        }
    }

    fn append_doctype_to_document(&self, _: StrTendril, _: StrTendril, _: StrTendril) {}

    fn get_template_contents(&self, target: &NodeId) -> NodeId {
        // Template contents are dropped by the sanitiser; the element itself will do.
        *target
    }

    fn same_node(&self, x: &NodeId, y: &NodeId) -> bool {
        x == y
    }

    fn set_quirks_mode(&self, _mode: QuirksMode) {}

    fn append_before_sibling(&self, sibling: &NodeId, new_node: NodeOrText<NodeId>) {
        let Some(parent) = self.nodes.borrow()[*sibling].parent else {
            return;
        };
        if let NodeOrText::AppendNode(id) = &new_node {
            self.detach(*id);
        }
        let index = self.nodes.borrow()[parent]
            .children
            .iter()
            .position(|c| c == sibling);
        self.insert(parent, index, new_node);
    }

    fn add_attrs_if_missing(&self, target: &NodeId, attrs: Vec<Attribute>) {
        if let NodeKind::Element {
            attrs: existing, ..
        } = &mut self.nodes.borrow_mut()[*target].kind
        {
            for attr in attrs {
                if !existing.iter().any(|a| a.name == attr.name) {
                    existing.push(attr);
                }
            }
        }
    }

    fn remove_from_parent(&self, target: &NodeId) {
        self.detach(*target);
    }

    fn reparent_children(&self, node: &NodeId, new_parent: &NodeId) {
        let mut nodes = self.nodes.borrow_mut();
        let children = std::mem::take(&mut nodes[*node].children);
        for &c in &children {
            nodes[c].parent = Some(*new_parent);
        }
        nodes[*new_parent].children.extend(children);
    }

    fn set_current_line(&self, line_number: u64) {
        self.line.set(line_number);
    }
}
