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
        }
    }

    private func handleNormal(_ key: Key) {
        guard let action = KeyMap.action(for: key, viewBindings: current.keyBindings) else { return }
        switch action {
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
                pop()
            } else if key == .character("q") {
                finish()
            }
        case .quit:
            finish()
        case .reload:
            startLoad(current)
        default:
            perform(current.handle(action))
        }
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
        case .pop: pop()
        case .popToRoot: while stack.count > 1 { pop() }
        case .message(let message): self.message = message
        case .confirm(let dialog, let then): mode = .confirm(dialog, then: then)
        case .quit: finish()
        }
    }

    func helpOverlay() -> HelpOverlay {
        HelpOverlay(
            bindings: current.keyBindings + KeyMap.global, scopeTitles: [current.kind: current.title],
            commands: allCommands)
    }
}
