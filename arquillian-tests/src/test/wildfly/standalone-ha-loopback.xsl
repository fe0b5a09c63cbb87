<?xml version="1.0" encoding="UTF-8"?>
<!--
  Turns WildFly 39's standalone-ha.xml into a configuration for a cluster of several servers on
  one host's loopback interface (the ha-1..ha-3 nodes of arquillian.xml; applied by pom.xml to the
  copy in each node's base directory).

  Why: the default channel "ee" uses the "udp" stack (IP multicast), and the "tcp" stack discovers
  with MPING (also IP multicast). Linux's "lo" has no MULTICAST flag, so neither finds the other
  nodes reliably. And the "tcp" stack has no FD_SOCK2, so a node killed with SIGKILL is suspected
  only after FD_ALL3's timeout (tens of seconds) instead of at once.

  What it changes, nothing else:
    - channel "ee": stack "udp" -> "tcp";
    - stack "tcp": MPING -> TCPPING over three outbound socket bindings (127.0.0.1 and each
      node's jgroups-tcp port, i.e. 7600 + its port offset; outbound bindings are not shifted by
      the port offset), and FD_SOCK2 after MERGE3 on a socket binding of its own;
    - socket bindings: "jgroups-tcp-fd" (7650 + offset), next to "jgroups-tcp". Not FD_SOCK2's
      default (its transport port + 100): with nodes 100 port offsets apart that is the next
      node's jgroups-tcp port. Not WildFly's 57600 either: that lies in Linux's ephemeral range
      (32768-60999), where an outgoing connection may hold it when the node starts.
  Every element it edits must be there exactly once, otherwise the build stops and says which.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <xsl:param name="host" select="'127.0.0.1'"/>
  <xsl:param name="port1"/>
  <xsl:param name="port2"/>
  <xsl:param name="port3"/>
  <xsl:param name="fd.port" select="'7650'"/>

  <xsl:variable name="binding.prefix" select="'ha-it-jgroups-'"/>

  <xsl:template match="/">
    <xsl:call-template name="expect-once">
      <xsl:with-param name="what" select="'channel ee with stack udp'"/>
      <xsl:with-param name="nodes" select="//*[local-name()='channel' and @name='ee' and @stack='udp']"/>
    </xsl:call-template>
    <xsl:call-template name="expect-once">
      <xsl:with-param name="what" select="'MPING in stack tcp'"/>
      <xsl:with-param name="nodes" select="//*[local-name()='stack' and @name='tcp']/*[local-name()='socket-protocol' and @type='MPING']"/>
    </xsl:call-template>
    <xsl:call-template name="expect-once">
      <xsl:with-param name="what" select="'MERGE3 in stack tcp'"/>
      <xsl:with-param name="nodes" select="//*[local-name()='stack' and @name='tcp']/*[local-name()='protocol' and @type='MERGE3']"/>
    </xsl:call-template>
    <xsl:call-template name="expect-once">
      <xsl:with-param name="what" select="'socket binding jgroups-tcp'"/>
      <xsl:with-param name="nodes" select="//*[local-name()='socket-binding' and @name='jgroups-tcp']"/>
    </xsl:call-template>
    <xsl:call-template name="expect-once">
      <xsl:with-param name="what" select="'socket-binding-group'"/>
      <xsl:with-param name="nodes" select="//*[local-name()='socket-binding-group']"/>
    </xsl:call-template>
    <xsl:if test="//*[local-name()='stack' and @name='tcp']/*[@type='FD_SOCK2' or @type='TCPPING']">
      <xsl:message terminate="yes">standalone-ha-loopback.xsl: stack tcp already has FD_SOCK2 or TCPPING; not the WildFly 39 standalone-ha.xml this transform knows</xsl:message>
    </xsl:if>
    <xsl:if test="string-length($port1) = 0 or string-length($port2) = 0 or string-length($port3) = 0">
      <xsl:message terminate="yes">standalone-ha-loopback.xsl: parameters port1, port2 and port3 are required</xsl:message>
    </xsl:if>
    <xsl:apply-templates/>
  </xsl:template>

  <xsl:template name="expect-once">
    <xsl:param name="what"/>
    <xsl:param name="nodes"/>
    <xsl:if test="count($nodes) != 1">
      <xsl:message terminate="yes">standalone-ha-loopback.xsl: expected exactly one <xsl:value-of select="$what"/> in standalone-ha.xml, found <xsl:value-of select="count($nodes)"/>; not the WildFly 39 standalone-ha.xml this transform knows</xsl:message>
    </xsl:if>
  </xsl:template>

  <!-- Everything else unchanged. -->
  <xsl:template match="@*|node()">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
    </xsl:copy>
  </xsl:template>

  <xsl:template match="*[local-name()='channel' and @name='ee']/@stack">
    <xsl:attribute name="stack">tcp</xsl:attribute>
  </xsl:template>

  <xsl:template match="*[local-name()='stack' and @name='tcp']/*[local-name()='socket-protocol' and @type='MPING']">
    <xsl:element name="socket-discovery-protocol" namespace="{namespace-uri()}">
      <xsl:attribute name="type">TCPPING</xsl:attribute>
      <xsl:attribute name="socket-bindings">
        <xsl:value-of select="concat($binding.prefix, '1 ', $binding.prefix, '2 ', $binding.prefix, '3')"/>
      </xsl:attribute>
      <!-- Only the listed ports, not port + 1 as well. -->
      <xsl:element name="property" namespace="{namespace-uri()}">
        <xsl:attribute name="name">port_range</xsl:attribute>
        <xsl:text>0</xsl:text>
      </xsl:element>
    </xsl:element>
  </xsl:template>

  <xsl:template match="*[local-name()='stack' and @name='tcp']/*[local-name()='protocol' and @type='MERGE3']">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
    </xsl:copy>
    <xsl:text>&#10;                    </xsl:text>
    <xsl:element name="socket-protocol" namespace="{namespace-uri()}">
      <xsl:attribute name="type">FD_SOCK2</xsl:attribute>
      <xsl:attribute name="socket-binding">jgroups-tcp-fd</xsl:attribute>
    </xsl:element>
  </xsl:template>

  <xsl:template match="*[local-name()='socket-binding' and @name='jgroups-tcp']">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
    </xsl:copy>
    <xsl:text>&#10;        </xsl:text>
    <xsl:element name="socket-binding" namespace="{namespace-uri()}">
      <xsl:attribute name="name">jgroups-tcp-fd</xsl:attribute>
      <xsl:attribute name="interface">private</xsl:attribute>
      <xsl:attribute name="port"><xsl:value-of select="$fd.port"/></xsl:attribute>
    </xsl:element>
  </xsl:template>

  <xsl:template match="*[local-name()='socket-binding-group']">
    <xsl:copy>
      <xsl:apply-templates select="@*|node()"/>
      <xsl:call-template name="outbound">
        <xsl:with-param name="index" select="1"/>
        <xsl:with-param name="port" select="$port1"/>
      </xsl:call-template>
      <xsl:call-template name="outbound">
        <xsl:with-param name="index" select="2"/>
        <xsl:with-param name="port" select="$port2"/>
      </xsl:call-template>
      <xsl:call-template name="outbound">
        <xsl:with-param name="index" select="3"/>
        <xsl:with-param name="port" select="$port3"/>
      </xsl:call-template>
      <xsl:text>&#10;    </xsl:text>
    </xsl:copy>
  </xsl:template>

  <xsl:template name="outbound">
    <xsl:param name="index"/>
    <xsl:param name="port"/>
    <xsl:text>    </xsl:text>
    <xsl:element name="outbound-socket-binding" namespace="{namespace-uri()}">
      <xsl:attribute name="name"><xsl:value-of select="concat($binding.prefix, $index)"/></xsl:attribute>
      <xsl:element name="remote-destination" namespace="{namespace-uri()}">
        <xsl:attribute name="host"><xsl:value-of select="$host"/></xsl:attribute>
        <xsl:attribute name="port"><xsl:value-of select="$port"/></xsl:attribute>
      </xsl:element>
    </xsl:element>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
