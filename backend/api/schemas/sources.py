"""Output schemas for the clinical facts and their public sources."""

from marshmallow import Schema, fields


class SourceLinkSchema(Schema):
    title = fields.String(required=True, metadata={"example": "Side effects of isotretinoin capsules (NHS)"})
    url = fields.Url(
        required=True,
        schemes={"https"},
        metadata={
            "example": "https://www.nhs.uk/medicines/isotretinoin-capsules/side-effects-of-isotretinoin-capsules/"
        },
    )


class FactSchema(Schema):
    id = fields.String(required=True, metadata={"example": "EXP-3"})
    statement = fields.String(required=True, metadata={"description": "The fact in plain words"})
    confidence = fields.String(
        required=True,
        metadata={"description": "H: label, regulator or guideline; M: secondary source; —: product rule"},
    )
    sources = fields.List(
        fields.Nested(SourceLinkSchema),
        required=True,
        metadata={"description": "The public pages the fact comes from (at least one)"},
    )
