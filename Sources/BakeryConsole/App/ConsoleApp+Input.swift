import BakeryCore

extension ConsoleApp {
    /// Handles one key as the operator pressed it.
    public func send(_ key: Key) {
        // Ctrl-C always quits, whatever is open: the operator's way out must never be captured by a prompt.
        if key == .control("c") {
            finish()
            return
        }
        switch mode {
        case .normal: handleNormal(key)
        case .command(var prompt): handleCommand(key, prompt: &prompt)
        case .filter(var input): handleFilter(key, input: &input)
        case .help(var overlay): handleHelp(key, overlay: &overlay)
        case .confirm(var dialog, let then):
            switch dialog.handle(key) {
            case .pending: mode = .confirm(dialog, then: then)
            case .cancelled:
                mode = .normal
                setMessage("cancelled")
            case .confirmed:
                mode = .normal
                perform(then())
            }
        case .form(var form, let then):
            switch form.handle(key) {
            case .pending: mode = .form(form, then: then)
            case .cancelled:
                mode = .normal
                setMessage("cancelled")
            case .accepted(let values):
                mode = .normal
                perform(then(values))
            }
        }
    }

    /// Handles a mouse event: the wheel scrolls what is open, a click selects in the body (a row, a tab), opens a
    /// breadcrumb in the header, or presses a key shown in the footer.
    public func send(_ mouse: MouseEvent, size: Size) {
        guard size.width >= ConsoleApp.minimumSize.width, size.height >= ConsoleApp.minimumSize.height else { return }
        switch (mode, mouse.kind) {
        case (.help(var overlay), .wheelDown), (.help(var overlay), .wheelUp):
            overlay.scroll(by: mouse.kind == .wheelDown ? 3 : -3)
            mode = .help(overlay)
        case (.normal, .wheelDown), (.normal, .wheelUp):
            for _ in 0..<3 { perform(current.handle(mouse.kind == .wheelDown ? .down : .up)) }
        case (.normal, .click):
            if mouse.at.y == 0 {
                clickHeader(at: mouse.at.x)
            } else if mouse.at.y == size.height - 1 {
                if let binding = footerBar.binding(at: mouse.at.x, width: size.width), let key = binding.keys.first {
                    send(key)
                }
            } else {
                perform(current.click(at: mouse.at))
            }
        default: break
        }
    }

    /// A click on a breadcrumb goes back to that view.
    private func clickHeader(at x: Int) {
        guard let depth = HeaderBar.breadcrumb(at: x, breadcrumbs: stack.map(\.title), glyphs: glyphs) else { return }
        leave(to: depth)
    }

    private func handleNormal(_ key: Key) {
        guard let binding = KeyMap.binding(for: key, viewBindings: current.keyBindings) else { return }
        if let permission = binding.requires, let reason = actor.refusal(permission) {
            refuse(binding, permission: permission, reason: reason)
            return
        }
        switch binding.action {
        case .commandLine:
            mode = .command(CommandPrompt())
        case .filter:
            guard current.acceptsFilter else {
                setMessage("\(current.title) has nothing to filter")
                return
            }
            mode = .filter(TextInput(filters[ObjectIdentifier(current)] ?? ""))
        case .help:
            mode = .help(helpOverlay())
        case .back:
            if stack.count > 1 {
                leave(to: stack.count - 2)
            } else if key == .character("q") {
                finish()
            }
        case .quit:
            finish()
        case .reload:
            startLoad(current)
        default:
            perform(current.handle(binding.action))
        }
    }

    /// A key the role may not use: the core is asked anyway — it refuses and audits the refusal — and the footer says
    /// why.
    private func refuse(_ binding: KeyBinding, permission: Permission, reason: String) {
        setMessage("\(binding.shortName): \(reason)", isError: true)
        let environment = environment
        let action = binding.description.prefix(1).lowercased() + binding.description.dropFirst()
        Task { try? await environment.actor.require(permission, to: "\(action) (console)", auditingIn: environment.store) }
    }

    private func handleCommand(_ key: Key, prompt: inout CommandPrompt) {
        switch key {
        case .escape:
            mode = .normal
            return
        case .enter:
            mode = .normal
            execute(prompt.words)
            return
        case .tab:
            prompt.complete(commands: allCommands.map(\.name)) { name in
                self.allCommands.first { $0.name == name }?.completions() ?? []
            }
        case .backspace where prompt.input.text.isEmpty:
            mode = .normal
            return
        default:
            _ = prompt.edit(key)
        }
        mode = .command(prompt)
    }

    private func handleFilter(_ key: Key, input: inout TextInput) {
        let id = ObjectIdentifier(current)
        switch key {
        case .enter:
            mode = .normal
            if !input.text.isEmpty { setMessage("filter: \(input.text)") }
            return
        case .escape:
            mode = .normal
            filters[id] = nil
            current.applyFilter("")
            return
        default:
            guard input.handle(key) else { break }
            filters[id] = input.text
            current.applyFilter(input.text)
        }
        mode = .filter(input)
    }

    private func handleHelp(_ key: Key, overlay: inout HelpOverlay) {
        switch KeyMap.action(for: key, viewBindings: []) {
        case .down: overlay.scroll(by: 1)
        case .up: overlay.scroll(by: -1)
        case .pageDown: overlay.scroll(by: 10)
        case .pageUp: overlay.scroll(by: -10)
        case .top: overlay.scroll(by: -overlay.lines.count)
        case .back, .help:
            mode = .normal
            return
        default: break
        }
        mode = .help(overlay)
    }

    /// Built-in commands plus the data views' commands.
    var allCommands: [ConsoleCommand] {
        let builtIn = [
            ConsoleCommand(
                name: "theme", argumentHint: "NAME", summary: "Switch the colour theme",
                completions: { [themes] in themes?.names() ?? [] },
                run: { [weak self] arguments in
                    guard let name = arguments.first else {
                        return .message(ConsoleMessage("usage: :theme NAME (Tab lists themes)", isError: true))
                    }
                    self?.switchTheme(to: name)
                    return .none
                }),
            ConsoleCommand(name: "help", summary: "Show the keys and commands") { [weak self] _ in
                guard let self else { return .none }
                self.mode = .help(self.helpOverlay())
                return .none
            },
            ConsoleCommand(name: "q", summary: "Quit") { _ in .quit },
        ]
        return commands + builtIn
    }

    private func execute(_ words: [String]) {
        guard let typed = words.first else { return }
        let name = typed == "quit" ? "q" : typed
        guard let command = allCommands.first(where: { $0.name == name }) else {
            setMessage("unknown command ':\(name)'; press : then Tab to list commands", isError: true)
            return
        }
        perform(command.run(Array(words.dropFirst())))
    }

    func perform(_ action: ViewAction) {
        switch action {
        case .none: break
        case .push(let view): push(view)
        case .pop: leave(to: stack.count - 2)
        case .popToRoot: leave(to: 0)
        case .switchTo(let view):
            if leave(to: 0) { push(view) }
        case .message(let message): self.message = message
        case .confirm(let dialog, let then): mode = .confirm(dialog, then: then)
        case .form(let form, let then): mode = .form(form, then: then)
        case .quit: finish()
        }
    }

    func helpOverlay() -> HelpOverlay {
        HelpOverlay(
            bindings: current.keyBindings + KeyMap.global, scopeTitles: [current.kind: current.title],
            commands: allCommands, actor: actor)
    }
}
