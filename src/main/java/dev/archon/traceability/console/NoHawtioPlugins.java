package dev.archon.traceability.console;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Hawtio's /hawtio/plugin (the list of extra Hawtio plugins registered as MBeans) for a console that has none:
 * replaces Hawtio 4.2's own servlet, which cannot run on Jolokia 2.5 (see hawtio-override-web.xml).
 */
public final class NoHawtioPlugins extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("application/json");
        response.getWriter().write("[]");
    }
}
