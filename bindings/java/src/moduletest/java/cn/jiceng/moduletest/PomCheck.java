// Copyright 2026 The jiceng Authors.
// SPDX-License-Identifier: Apache-2.0

package cn.jiceng.moduletest;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXParseException;

/**
 * {@code java PomCheck POM VERSION MAVEN_REPO PROTOC_VERSION}: checks jiceng's pom the way Maven
 * reads it, without Maven (no plugin or network is at hand): it parses as XML (a POM 4.0.0
 * project), names cn.jiceng:jiceng:VERSION, a jar, and depends on exactly protobuf-java, at the
 * version of the protoc that generated cn.jiceng.v1, and JNA, each in a scope that reaches the
 * integrator's run time, and each present at those coordinates in the Maven repository
 * MAVEN_REPO (Debian's /usr/share/maven-repo). Prints the dependencies' jars there, one per line
 * (the test puts them on the module path), or names the first failure and exits 1.
 */
public final class PomCheck {
  private static final String POM_NS = "http://maven.apache.org/POM/4.0.0";

  private PomCheck() {}

  public static void main(String[] args) throws Exception {
    if (args.length != 4) {
      fail("usage: PomCheck POM VERSION MAVEN_REPO PROTOC_VERSION");
    }
    Path pom = Path.of(args[0]);
    String version = args[1];
    Path repo = Path.of(args[2]);
    String protocVersion = args[3];

    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setNamespaceAware(true);
    factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    DocumentBuilder builder = factory.newDocumentBuilder();
    Document doc;
    try {
      doc = builder.parse(pom.toFile());
    } catch (SAXParseException e) {
      fail(pom + ":" + e.getLineNumber() + ":" + e.getColumnNumber() + ": not well-formed: "
          + e.getMessage());
      return;
    }
    Element project = doc.getDocumentElement();
    if (!"project".equals(project.getLocalName()) || !POM_NS.equals(project.getNamespaceURI())) {
      fail(pom + ": the root is {" + project.getNamespaceURI() + "}" + project.getLocalName()
          + ", not {" + POM_NS + "}project");
    }
    expect("modelVersion", "4.0.0", text(project, "modelVersion"));
    expect("groupId", "cn.jiceng", text(project, "groupId"));
    expect("artifactId", "jiceng", text(project, "artifactId"));
    expect("version", version, text(project, "version"));
    expect("packaging", "jar", text(project, "packaging"));
    if (child(project, "parent") != null) {
      fail(pom + ": a parent pom would have to be installed too");
    }

    Element dependencies = child(project, "dependencies");
    if (dependencies == null) {
      fail(pom + ": no <dependencies>");
    }
    Map<String, String> versions = new TreeMap<>();
    List<String> jars = new ArrayList<>();
    for (Element dep : children(dependencies, "dependency")) {
      String group = text(dep, "groupId");
      String artifact = text(dep, "artifactId");
      String depVersion = text(dep, "version");
      String scope = text(dep, "scope");
      String id = group + ":" + artifact;
      if (group == null || artifact == null || depVersion == null) {
        fail(pom + ": a dependency without groupId, artifactId or version: " + id);
      }
      if (versions.put(id, depVersion) != null) {
        fail(pom + ": " + id + " twice");
      }
      if (scope != null && !scope.equals("compile") && !scope.equals("runtime")) {
        fail(pom + ": " + id + " has scope " + scope + "; an integrator's run time needs it");
      }
      if (text(dep, "type") != null || text(dep, "classifier") != null
          || "true".equals(text(dep, "optional"))) {
        fail(pom + ": " + id + " should be a plain, non-optional jar");
      }
      Path dir = repo.resolve(group.replace('.', File.separatorChar)).resolve(artifact)
          .resolve(depVersion);
      Path jar = dir.resolve(artifact + "-" + depVersion + ".jar");
      Path depPom = dir.resolve(artifact + "-" + depVersion + ".pom");
      if (!Files.isRegularFile(jar) || !Files.isRegularFile(depPom)) {
        fail(pom + ": " + id + ":" + depVersion + " is not in " + repo + " (no " + jar + " or "
            + depPom + ")");
      }
      jars.add(jar.toString());
    }
    expect("dependencies", "[com.google.protobuf:protobuf-java, net.java.dev.jna:jna]",
        versions.keySet().toString());
    expect("protobuf-java's version (the protoc's, " + protocVersion + ")", protocVersion,
        versions.get("com.google.protobuf:protobuf-java"));
    if (!"compile".equals(scopeOf(dependencies, "protobuf-java"))) {
      fail(pom + ": protobuf-java must be a compile dependency: the API's messages extend its"
          + " classes");
    }
    for (String jar : jars) {
      System.out.println(jar);
    }
  }

  private static String scopeOf(Element dependencies, String artifact) {
    for (Element dep : children(dependencies, "dependency")) {
      if (artifact.equals(text(dep, "artifactId"))) {
        String scope = text(dep, "scope");
        return scope == null ? "compile" : scope;
      }
    }
    return null;
  }

  private static List<Element> children(Element parent, String name) {
    List<Element> out = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element && name.equals(n.getLocalName())
          && POM_NS.equals(n.getNamespaceURI())) {
        out.add((Element) n);
      }
    }
    return out;
  }

  private static Element child(Element parent, String name) {
    List<Element> found = children(parent, name);
    if (found.size() > 1) {
      fail("<" + parent.getLocalName() + "> has " + found.size() + " <" + name + ">");
    }
    return found.isEmpty() ? null : found.get(0);
  }

  /** The trimmed text of the one child {@code name}, or null when there is none. */
  private static String text(Element parent, String name) {
    Element e = child(parent, name);
    return e == null ? null : e.getTextContent().trim();
  }

  private static void expect(String what, String want, String got) {
    if (!want.equals(got)) {
      fail("pom " + what + ": expected " + want + ", got " + got);
    }
  }

  private static void fail(String message) {
    System.err.println("PomCheck: " + message);
    System.exit(1);
  }
}
