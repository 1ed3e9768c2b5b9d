"""The starting wording of an accessibility statement's prose sections.

Each follows the section of the same name in GOV.UK's model accessibility statement; a new
statement page starts with these, and editors make them true of their own site. The sentences
the regulations fix (scope, enforcement, compliance status) are not here: the frontend renders
them from the statement's facts so that no one can edit them by accident.
"""

USING_THIS_WEBSITE = (
    "<p>We want as many people as possible to be able to use this website. For example, that "
    "means you should be able to:</p>"
    "<ul>"
    "<li>change colours, contrast levels and fonts using your browser or device settings</li>"
    "<li>zoom in up to 400% without the text spilling off the screen</li>"
    "<li>move around the website using just a keyboard</li>"
    "<li>move around the website using speech recognition software</li>"
    "<li>listen to the website using a screen reader (including recent versions of JAWS, NVDA "
    "and VoiceOver)</li>"
    "</ul>"
    "<p>We have also made the text on this website as simple as possible to understand.</p>"
    '<p><a href="https://mcmw.abilitynet.org.uk/">AbilityNet has advice on making your device '
    "easier to use</a> if you have a disability.</p>"
)

KNOWN_PROBLEMS = (
    "<p>Older review reports are PDF documents, and some of them may not work well with "
    "screen reader software.</p>"
)

FEEDBACK_AND_CONTACT = (
    "<p>If you need information on this website in a different format, such as an accessible "
    "PDF, large print, easy read, an audio recording or braille, contact us.</p>"
    "<p>If you find a problem that is not listed on this page, or you think we are not meeting "
    "the accessibility requirements, please tell us.</p>"
)

DISPROPORTIONATE_BURDEN = (
    "<p>We are not claiming that fixing any of the problems listed on this page would be a "
    "disproportionate burden.</p>"
)

NOT_IN_SCOPE = (
    "<p>The accessibility regulations do not require us to fix PDFs or other documents "
    "published before 23 September 2018 if they are not essential to providing our services. "
    "Some older review reports are such documents: contact us if you need one in another "
    "format.</p>"
)

IMPROVEMENTS = (
    "<p>Every page is tested for accessibility automatically each time it is published, and "
    "the whole website is tested at least once a month. We fix what those tests find, and "
    "we check new review reports before we publish them.</p>"
)
