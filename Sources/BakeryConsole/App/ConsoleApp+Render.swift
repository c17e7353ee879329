extension ConsoleApp {
    /// Renders the whole screen at `size`: header, the current view's body, footer or prompt, and any overlay.
    public func render(size: Size) -> Grid {
        let context = RenderContext(theme: theme, glyphs: glyphs, loadState: loadState(of: current), frame: frame)
        var grid = Grid(width: size.width, height: size.height, fill: .blank(context.style(.text)))
        guard size.width >= ConsoleApp.minimumSize.width, size.height >= ConsoleApp.minimumSize.height else {
            renderTooSmall(into: &grid, context: context)
            return grid
        }
        let (header, rest) = grid.bounds.splitTop(1)
        let (body, footer) = rest.splitBottom(1)
        HeaderBar(breadcrumbs: stack.map(\.title), database: database, role: actor.role.rawValue, isLoading: isBusy)
            .render(into: &grid, in: header, context: context)
        current.render(into: &grid, in: body, context: context)
        switch mode {
        case .command(let prompt):
            prompt.renderCandidates(into: &grid, in: body.splitBottom(1).bottom, context: context)
            prompt.render(into: &grid, in: footer, context: context)
        case .filter(let input):
            input.render(into: &grid, in: footer, prompt: current.filterPrompt, context: context)
        case .help(let overlay):
            footerBar.render(into: &grid, in: footer, context: context)
            overlay.render(into: &grid, in: body, context: context)
        case .confirm(let dialog, _):
            footerBar.render(into: &grid, in: footer, context: context)
            dialog.render(into: &grid, in: body, context: context)
        case .form(let form, _):
            footerBar.render(into: &grid, in: footer, context: context)
            form.render(into: &grid, in: body, context: context)
        case .normal:
            footerBar.render(into: &grid, in: footer, context: context)
        }
        return grid
    }

    /// The glyph set in force: ASCII when the terminal or the theme asks for it.
    var glyphs: Glyphs { forceASCII || theme.ascii == true ? .ascii : .unicode }

    var footerBar: FooterBar {
        let viewKeys = Set(current.keyBindings.flatMap(\.keys))
        let globals = KeyMap.global.filter { binding in
            binding.inFooter && (binding.action != .filter || current.acceptsFilter)
                && !binding.keys.contains(where: viewKeys.contains)
        }
        let hints = current.keyBindings.filter(\.inFooter) + globals
        let disabled = Set(hints.indices.filter { index in hints[index].requires.map { !actor.may($0) } ?? false })
        return FooterBar(hints: hints, message: message, disabled: disabled)
    }

    private func renderTooSmall(into grid: inout Grid, context: RenderContext) {
        let needed = ConsoleApp.minimumSize
        let lines = WordWrap.lines(
            "Bakery needs a terminal of at least \(needed.width)×\(needed.height); this one is "
                + "\(grid.width)×\(grid.height). Enlarge the window, or press q to quit.",
            width: max(1, grid.width - 2))
        let top = max(0, (grid.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let x = max(0, (grid.width - DisplayWidth.of(line)) / 2)
            grid.write(line, x: x, y: top + index, style: context.style(.message))
        }
    }
}
